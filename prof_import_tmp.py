import cProfile, pstats, sys, tempfile, time
from pathlib import Path
from bench.import_rate import fresh_database
from bench.imports import MAPPING, csv_bytes, store
from integrations.files import parse_file
rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
data = csv_bytes(rows)
with tempfile.TemporaryDirectory() as name:
    url, hid, mid = fresh_database(Path(name))
    batch = parse_file(data, csv_mapping=MAPPING)
    pr = cProfile.Profile(); t=time.perf_counter(); pr.enable()
    store(url, hid, mid, batch, chunked=True)
    pr.disable(); print("store", time.perf_counter()-t)
    pstats.Stats(pr).sort_stats(sys.argv[2] if len(sys.argv)>2 else "tottime").print_stats(40)
    pr = cProfile.Profile(); t=time.perf_counter(); pr.enable()
    store(url, hid, mid, parse_file(data, csv_mapping=MAPPING), chunked=True)
    pr.disable(); print("again", time.perf_counter()-t)
    pstats.Stats(pr).sort_stats("tottime").print_stats(25)
