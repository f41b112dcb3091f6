from bot.matching.extraction import MAX_KEY_LINES, MAX_LINE_CHARS, extract

NOISE = "2026-11-25T10:00:00Z INFO gunicorn.access 10.0.0.1 POST /score 200 {n}"


def test_short_paste_keeps_every_line() -> None:
    assert extract("배포가 안 돼요\nCrashLoopBackOff").key_lines == ("배포가 안 돼요",
                                                                  "CrashLoopBackOff")


def test_long_log_is_judged_on_its_error_lines() -> None:
    lines = [NOISE.format(n=n % 100) for n in range(2000)]
    lines[1200] = "Warning FailedScheduling 0/3 nodes are available: 3 Insufficient cpu."
    extracted = extract("\n".join(lines))
    assert lines[1200] in extracted.key_lines
    assert len(extracted.key_lines) <= MAX_KEY_LINES
    assert not any("gunicorn.access" in line for line in extracted.error_lines)


def test_traceback_tail_and_init_frame_are_kept() -> None:
    noise = [NOISE.format(n=n) for n in range(100)]
    traceback = ["Traceback (most recent call last):",
                 '  File "/var/azureml-app/score.py", line 12, in init',
                 "    model = joblib.load(path)",
                 '  File "/opt/conda/lib/python3.8/site-packages/joblib/numpy_pickle.py", '
                 "line 577, in load",
                 "FileNotFoundError: [Errno 2] No such file or directory: 'model.pkl'"]
    key = extract("\n".join(noise + traceback + noise)).key_lines
    assert traceback[-1] in key
    assert any(line.endswith("in init") for line in key)


def test_json_escaped_log_is_split_into_lines() -> None:
    text = '{"logs": "starting\\nTraceback (most recent call last):\\nValueError: bad input"}'
    assert "ValueError: bad input\"}" in extract(text).key_lines


def test_huge_line_is_cut_around_its_error() -> None:
    line = "x" * 60_000 + " ERROR something failed " + "y" * 60_000
    (kept,) = extract(line).key_lines
    assert len(kept) <= MAX_LINE_CHARS
    assert "ERROR something failed" in kept


def test_nothing_in_nothing_out() -> None:
    assert extract("").key_lines == ()
    assert extract("\n\n   \n").key_lines == ()


def test_timestamped_traceback_is_still_a_traceback() -> None:
    # Container logs fetched from Azure put a timestamp (and logger columns) before every line;
    # the frames and the exception line must still be recognised under that prefix.
    noise = [NOISE.format(n=n) for n in range(100)]
    stamp = "2021-06-30T03:05:58.100676557Z "
    traceback = [stamp + "2021-06-30 03:05:58,100 | root | ERROR | Encountered Exception: "
                 "Traceback (most recent call last):",
                 stamp + '  File "/var/azureml-server/synchronous/routes.py", line 64, in run',
                 stamp + "    response = invoke_user_with_timer(service_input, headers)",
                 stamp + '  File "/var/azureml-server/routes_common.py", line 141, in prepare',
                 stamp + "    params = {main.run_input_parameter_name: input[name]}",
                 stamp + "TypeError: list indices must be integers or slices, not str"]
    extracted = extract("\n".join(noise + traceback + noise))
    assert traceback[-1] in extracted.key_lines
    assert traceback[1] in extracted.key_lines  # the `in run` frame
    cause = extracted.causes[extracted.key_lines.index(traceback[-1])]
    assert cause


def test_a_traceback_cut_before_its_exception_still_shows_where_it_failed() -> None:
    # Hand-trimmed or interleaved: the frames end and the log goes on, no exception line.
    noise = [NOISE.format(n=n) for n in range(100)]
    cut = ["2026-11-30 10:00:00,001 | root | ERROR | Encountered Exception: Traceback (most "
           "recent call last):",
           '  File "/var/azureml-server/synchronous/routes.py", line 43, in score_realtime',
           "    return run_scoring(service_input, request.headers)",
           '  File "/var/azureml-server/synchronous/routes.py", line 85, in run_scoring',
           "    return wrap_response(response)"]
    key = extract("\n".join(noise + cut + noise)).key_lines
    assert any(line.endswith("in run_scoring") for line in key)
