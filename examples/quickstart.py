"""Quick start: evaluate the default micro-LED link, then a batch of design points, from Python."""

import numpy as np

import microlink as ml
from microlink.catalog import get_parameter_set

# One call, one typed result with every intermediate.
r = ml.evaluate_link("lightbundle", reach=10.0)
print(f"BER {float(r.ber):.2e}, margin {float(r.margin_db):.2f} dB, max reach {float(r.max_reach):.1f} m, "
      f"{float(r.energy_per_bit_pj):.3f} pJ/bit, {float(r.power_per_end):.2f} W per end")
for block, joules in r.energy_breakdown.items():
    print(f"  {block:16s} {float(joules) * 1e12:7.3f} pJ/bit")

# Swap in a measured LED bandwidth and sweep reach x lane rate in one vectorised call.
link = get_parameter_set("lightbundle").parameters.replace(led={"measured_bandwidth": 1.0e9})
batch = ml.evaluate_link(link, reach=np.array([1.0, 5.0, 10.0, 20.0]), lane_rate=np.array([[2e9], [3.3e9]]),
                         solve_reach=False)
print(batch.to_dataframe()[["lane_rate_bps", "reach_m", "ber", "energy_per_bit_pj"]].to_string(index=False))

# Distinct designs of any technology in one call: three cable gauges of a 200G DAC, each with its own reach.
dac = get_parameter_set("dac-200g").parameters.replace(cable={"awg": np.array([30.0, 28.0, 26.0])})
gauges = ml.evaluate_link(dac, aggregate_rate=1.6e12, reach=1.0)
for awg, reach in zip((30, 28, 26), np.asarray(gauges.max_reach)):
    print(f"  {awg} AWG: reaches {reach:.2f} m at 1.6 Tb/s")
