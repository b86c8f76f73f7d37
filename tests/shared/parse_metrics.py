# Reads Prometheus' text exposition format on standard input with the
# reference client's own parser (Debian: python3-prometheus-client), and
# prints what it understood: "TYPE family type" per family, then each
# sample as "name{label=value,...} value", in the order read. A text the
# parser refuses makes it fail (exit status 1, the reason on stderr).
import sys

from prometheus_client.parser import text_string_to_metric_families

for family in text_string_to_metric_families(sys.stdin.read()):
    print("TYPE", family.name, family.type)
    for sample in family.samples:
        labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
        print(f"{sample.name}{{{labels}}} {sample.value:g}")
