// mosaic-bench: the benchmark driver scripts/bench runs (release build).
print("mosaic-bench: no workloads yet")
