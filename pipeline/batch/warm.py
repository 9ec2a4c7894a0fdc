"""What every extraction process needs loaded, done once in the pool's fork server.

Imported by the fork server of `pipeline.batch.workers.WorkerPool` before it forks any worker, so a
worker starts with the spaCy model loaded and the patterns compiled: 0.1 s instead of about 3.5
CPU seconds, most of them spent compiling the French tokenizer's exception patterns. That cost
was paid by every worker at start, again at each recycling and after each crash.
"""
import os

# The pool is the parallelism: one thread each for Tesseract and the BLAS under spaCy, set here
# because numpy is imported below, and what it reads at import time is what every worker gets.
for _name in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import pipeline.api  # noqa: F401  (every extractor and its patterns)
from extractors import ner

try:
    ner.load()
except Exception:  # a missing model is reported by the first document that needs it
    pass
