"""``paradigms exercise list | show | check``: output, exit codes, answers from files, one-line errors."""

import pytest

from glossary.exercises import all_exercises
from paradigms.cli import main


def test_list_is_one_exercise_per_line_term_first(capsys):
    assert main(["exercise", "list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == [exercise.term for exercise in all_exercises()]
    assert "hand in a function `cross_entropy`" in lines[7]


def test_show_prints_the_task_and_the_stub_and_the_solution_only_when_asked(capsys):
    assert main(["exercise", "show", "epochs"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Find the epoch to stop at (epoch)")
    assert "def stop_epoch(training_losses, validation_losses):" in out
    assert "A worked answer" not in out
    assert main(["exercise", "show", "epoch", "--solution"]) == 0
    assert "np.argmin(validation_losses)) + 1" in capsys.readouterr().out


def test_check_a_value_exit_code_says_right_or_not_yet(capsys):
    assert main(["exercise", "check", "learning rate", "1.5"]) == 0
    assert capsys.readouterr().out.startswith("Right (learning-rate)")
    assert main(["exercise", "check", "learning rate", "0.1"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Not yet (learning-rate): rate 0.1 is too small")
    assert "Why:" in out and "Hint:" in out
    assert main(["exercise", "check", "underfitting", "degree=1,train_points=2000"]) == 1
    assert "More data did not help" in capsys.readouterr().out


def test_check_a_students_file(tmp_path, capsys):
    answer = tmp_path / "mine.py"
    answer.write_text("import numpy as np\n\ndef cross_entropy(p, label):\n    return (label - p) ** 2\n", encoding="utf-8")
    assert main(["exercise", "check", "cost-function", str(answer)]) == 1
    assert "that is squared error" in capsys.readouterr().out
    answer.write_text("import numpy as np\n\ndef cross_entropy(p, label):\n    return -np.log(p if label else 1 - p)\n", encoding="utf-8")
    assert main(["exercise", "check", "cost-function", str(answer)]) == 0
    value = tmp_path / "rate.py"
    value.write_text("answer = 1.2\n", encoding="utf-8")
    assert main(["exercise", "check", "learning-rate", str(value)]) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["exercise", "check", "neuron", "missing.py"], "missing.py: does not exist; name the Python file that defines `neuron`"),
        (["exercise", "check", "neuron", "0.5"], "asks for a function `neuron`: name a .py file"),
        (["exercise", "check", "learning rate", "fast"], "answer 'fast' is not a number"),
        (["exercise", "check", "underfitting", "degree=1"], "give degree=D,train_points=N"),
        (["exercise", "show", "lerning rate"], "did you mean learning-rate"),
        (["exercise"], "name an action"),
    ],
)
def test_bad_input_is_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


def test_a_file_without_the_name_or_that_fails_is_one_line(tmp_path, capsys):
    wrong_name = tmp_path / "mine.py"
    wrong_name.write_text("def my_neuron(x, w, b):\n    return 0\n", encoding="utf-8")
    assert main(["exercise", "check", "neuron", str(wrong_name)]) == 2
    err = capsys.readouterr().err
    assert "defines no `neuron` (it defines my_neuron)" in err and err.count("\n") == 1
    broken = tmp_path / "broken.py"
    broken.write_text("def neuron(x, w, b)\n    return 0\n", encoding="utf-8")
    assert main(["exercise", "check", "neuron", str(broken)]) == 2
    assert "broken.py, line 1: syntax error" in capsys.readouterr().err
    raising = tmp_path / "raising.py"
    raising.write_text("import nothing_of_the_kind\n", encoding="utf-8")
    assert main(["exercise", "check", "neuron", str(raising)]) == 2
    assert "raising.py: running it raised ModuleNotFoundError" in capsys.readouterr().err
