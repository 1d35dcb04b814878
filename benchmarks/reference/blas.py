"""The BLAS a PyTorch reference runs on, for its results rows (shared by every reference script)."""

import os

import torch


def blas_info():
    """The BLAS PyTorch was built against (BLAS_INFO) and the libraries libblas.so.3 resolves to, if any
    (Debian's python3-torch runs its dense layers through the system libblas.so.3: netlib's reference BLAS
    unless OpenBLAS is installed or loaded through LD_LIBRARY_PATH)."""
    config = torch.__config__.show()
    info = config.split("BLAS_INFO=", 1)[1].split(",", 1)[0] if "BLAS_INFO=" in config else "unknown"
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        return f"{info} ({', '.join(sorted(os.path.basename(os.path.realpath(l)) for l in libs)) or 'none loaded'})"
    except OSError:
        return info
