"""Solvers: Numba CFR kernels, schedules, small games (Kuhn, Leduc) and exact best response."""
