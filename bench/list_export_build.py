"""The programme leader's export of every participant as the background task writes it, timed in
this process: run by bench/load.sh through `manage.py shell`. More rows than
TRACKING_EXPORT_DIRECT_MAX_ROWS are not written in the request (the request only offers to write
them), so timing the download URL would time that offer. Each export made here is deleted after."""

import time

from django.contrib.auth import get_user_model

from programme.access import Relation
from tracking.export_jobs import list_export_build
from tracking.models import ListExport

leader = get_user_model().objects.get(email="leader@demo.mtl-portal.localhost")
for kind in (ListExport.Kind.CSV, ListExport.Kind.XLSX):
    for run in (1, 2):
        export = ListExport.objects.create(requested_by=leader, relation=Relation.PROGRAMME_LEADER, query="", kind=kind)
        cpu, wall = time.process_time(), time.perf_counter()
        built = list_export_build(export_id=export.pk)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = built.file.size if built.file else 0
        done = f"{built.total} rows, {size:,} bytes, {built.status}"
        print(f"  {kind}, run {run}: {wall:.2f} s wall, {cpu:.2f} s CPU, {done}")
        if built.file:
            built.file.delete(save=False)
        built.delete()
