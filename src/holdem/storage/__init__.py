"""Storage: how every file we write reaches the disk, and how arrays plus a manifest are read.

`holdem.storage.atomic` writes a file or a whole folder so that a crash never leaves a
half-written copy under the target's name; `holdem.storage.array_files` saves named numpy arrays
with a JSON manifest (an uncompressed ``.npz`` or a folder of ``.npy`` files) and maps them back
without unpickling anything. Abstraction, solver and training all write through here.
"""
