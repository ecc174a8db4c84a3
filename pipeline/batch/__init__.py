"""Archive-scale batch processing: thousands of publications, one command.

``bayan batch SOURCE -o OUT`` finds the publications in a folder tree or a manifest
(:mod:`.discover`), keys each by the hash of its inputs, the merged configuration and
bayan's version (:mod:`.keys`), skips those whose outputs in OUT/<id>/ carry that key
(:mod:`.outputs`), runs the rest on worker processes that load the resources once and
enforce a per-document time limit and memory guard (:mod:`.worker`, :mod:`.sandbox`),
locally (:mod:`.local`) or on a Dask cluster (:mod:`.dask_executor`), and records every
document's status, timings and failure reason (:mod:`.records`). One bad file fails
alone; an interrupted run, run again, finishes what was left.
"""
from .runner import BatchOptions, options_from_args, run_batch

__all__ = ["BatchOptions", "options_from_args", "run_batch"]
