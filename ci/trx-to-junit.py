#!/usr/bin/env python3
"""Converts the VSTest .trx files `make cov` writes into one JUnit XML file, the format CircleCI's
store_test_results reads (it ignores .trx). One <testsuite> per .trx file, one <testcase> per
test result, with <failure> (message and stack trace) or <skipped>.
    ci/trx-to-junit.py RESULTS_DIR OUTPUT.xml
Exits 1 when RESULTS_DIR holds no .trx file, so an empty report can never pass for a green run."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration):
    """TRX durations are hh:mm:ss.fffffff."""
    if not duration:
        return 0.0
    hours, minutes, rest = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def suite(trx):
    root = ET.parse(trx).getroot()
    classes = {d.get("id"): d.find("t:TestMethod", NS).get("className")
               for d in root.iterfind("t:TestDefinitions/t:UnitTest", NS)}
    element = ET.Element("testsuite", name=trx.stem)
    counts = {"tests": 0, "failures": 0, "skipped": 0}
    total = 0.0
    for result in root.iterfind("t:Results/t:UnitTestResult", NS):
        took = seconds(result.get("duration"))
        total += took
        case = ET.SubElement(element, "testcase", name=result.get("testName"),
                             classname=classes.get(result.get("testId"), ""), time=f"{took:.3f}")
        counts["tests"] += 1
        outcome = result.get("outcome")
        if outcome == "Failed":
            counts["failures"] += 1
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
            trace = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=NS)
            ET.SubElement(case, "failure", message=message.strip()[:500]).text = f"{message}\n{trace}"
        elif outcome != "Passed":
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=outcome or "NotExecuted")
    element.set("time", f"{total:.3f}")
    for key, value in counts.items():
        element.set(key, str(value))
    return element


def main(results_dir, output):
    files = sorted(pathlib.Path(results_dir).rglob("*.trx"))
    if not files:
        print(f"trx-to-junit: no .trx file under {results_dir}", file=sys.stderr)
        return 1
    suites = ET.Element("testsuites")
    for trx in files:
        suites.append(suite(trx))
    for key in ("tests", "failures", "skipped"):
        suites.set(key, str(sum(int(s.get(key)) for s in suites)))
    pathlib.Path(output).parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(output, encoding="utf-8", xml_declaration=True)
    print(f"trx-to-junit: {suites.get('tests')} tests, {suites.get('failures')} failed, "
          f"{suites.get('skipped')} skipped, from {len(files)} .trx files -> {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]) if len(sys.argv) == 3 else (print(__doc__), 2)[1])
