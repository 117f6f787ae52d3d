"""Runs an exported train.py as N DistributedDataParallel processes on this machine, with the environment
`torchrun` would set (MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK, LOCAL_RANK) — Debian's torchrun launcher
crashes on Python 3.11 (see TOOLCHAIN.md), a user's own torchrun runs the same script.

    python ddp.py DIR N PORT [train.py args…]

Waits for every process; exits non-zero, with their output, if any of them fails.
"""
import os
import subprocess
import sys

directory, world, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
extra = sys.argv[4:]
procs = []
for rank in range(world):
    env = dict(os.environ, MASTER_ADDR="127.0.0.1", MASTER_PORT=port, WORLD_SIZE=str(world), RANK=str(rank),
               LOCAL_RANK=str(rank), OMP_NUM_THREADS="1")
    procs.append(subprocess.Popen([sys.executable, "train.py", *extra], cwd=directory, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
failed = False
for rank, p in enumerate(procs):
    try:
        out, _ = p.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        for q in procs:
            q.kill()
        raise
    if p.returncode != 0:
        failed = True
        sys.stderr.write(f"rank {rank} exited with {p.returncode}:\n{out}\n")
    elif rank == 0:
        sys.stdout.write(out)
sys.exit(1 if failed else 0)
