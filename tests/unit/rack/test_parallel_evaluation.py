"""Technologies evaluated on worker processes give what one process gives (the commands' default on Linux)."""

import json

import pytest
from typer.testing import CliRunner

from microlink.cli.app import app
from microlink.rack.cluster import load_system
from microlink.rack.links import LinkEvaluator
from microlink.rack.system import compare


def test_two_workers_give_the_serial_comparison():
    topology = load_system("nvl72")
    names = ["dac-200g", "aec-200g", "vcsel-npo", "lightbundle", "siph-cpo"]
    serial, errors_serial = LinkEvaluator().evaluate_many(topology, names, workers=1)
    pooled, errors_pooled = LinkEvaluator().evaluate_many(topology, names, workers=2)
    assert errors_serial == errors_pooled
    assert list(serial) == list(pooled)
    for name in names:
        assert repr(serial[name]) == repr(pooled[name])  # floats by their shortest repr: bitwise (NaN too)
    def text(workers):  # JSON text: NaN (an unsolved reach) compares equal to itself there
        return json.dumps(compare(topology, tech="all", workers=workers).to_dict(), sort_keys=True)

    assert text(2) == text(1)


@pytest.mark.parametrize("command", [["rack", "--system", "nvl72", "--tech", "all"], ["cluster", "--gpus", "2000"]])
def test_commands_answer_the_same_on_any_number_of_workers(command):
    runner = CliRunner()
    outputs = []
    for workers in ([], ["--workers", "1"], ["--workers", "2"]):
        out = runner.invoke(app, [*command, "--format", "json", *workers])
        assert out.exit_code == 0, out.output
        doc = json.loads(out.stdout)
        doc.get("meta", {}).pop("elapsed_s", None)
        outputs.append(json.dumps(doc, sort_keys=True))
    assert outputs[0] == outputs[1] == outputs[2]
