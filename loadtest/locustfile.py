"""Load test for appraise, in the style of seed 004's locust step, against every kind of request
a client makes: hello, predictions with and without a report, the pandas-style /predict, and
report reads. The run fails (exit code 1) when more than LOAD_MAX_FAILURE_RATIO of requests
fail or the 95th percentile exceeds LOAD_MAX_P95_MS.

    locust -f loadtest/locustfile.py --headless -u 10 -r 5 -t 20s --host http://127.0.0.1:8080

Environment: APPRAISE_API_KEY (required), LOAD_MAX_FAILURE_RATIO (0.01), LOAD_MAX_P95_MS (50;
0 turns the latency verdict off: the test command runs on shared CI cores, where latency is a
figure to print, not a pass/fail verdict; the error ratio is checked always).
"""
import os
import random

from locust import HttpUser, between, events, task

API_KEY = os.environ.get("APPRAISE_API_KEY", "")
MAX_FAILURE_RATIO = float(os.environ.get("LOAD_MAX_FAILURE_RATIO", "0.01"))
MAX_P95_MS = float(os.environ.get("LOAD_MAX_P95_MS", "50"))

# Rows from the Boston housing data, the columns the model reads.
HOUSES = [
    {"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98},
    {"CHAS": 0, "RM": 6.421, "TAX": 242.0, "PTRATIO": 17.8, "B": 396.9, "LSTAT": 9.14},
    {"CHAS": 0, "RM": 7.185, "TAX": 242.0, "PTRATIO": 17.8, "B": 392.83, "LSTAT": 4.03},
    {"CHAS": 1, "RM": 6.129, "TAX": 403.0, "PTRATIO": 14.7, "B": 347.88, "LSTAT": 14.43},
    {"CHAS": 0, "RM": 5.707, "TAX": 666.0, "PTRATIO": 20.2, "B": 396.9, "LSTAT": 12.01},
]


def pandas_columns(rows):
    """The body seed 004's /predict takes: DataFrame.to_json() of the rows, column by column."""
    return {column: {str(i): row[column] for i, row in enumerate(rows)} for column in rows[0]}


class AppraiseClient(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self):
        self.headers = {"X-Api-Key": API_KEY}
        self.reports = []

    @task(4)
    def hello(self):
        self.client.get("/api/v1/hello/")

    @task(6)
    def prediction(self):
        body = {"event_id": random.randint(1, 1_000_000), "payload": random.choice(HOUSES)}
        with self.client.post("/api/v1/prediction/", json=body, headers=self.headers, catch_response=True) as response:
            if response.status_code != 200 or "predicted_value" not in response.text:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(2)
    def prediction_with_report(self):
        body = {"event_id": random.randint(1, 1_000_000), "payload": random.choice(HOUSES)}
        with self.client.post("/api/v1/prediction/?generate_report=true", json=body, headers=self.headers,
                              name="/api/v1/prediction/?generate_report=true", catch_response=True) as response:
            if response.status_code == 200 and response.json().get("report_id"):
                self.reports.append(response.json()["report_id"])
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(2)
    def read_report(self):
        if not self.reports:
            return
        report_id = random.choice(self.reports)
        with self.client.get(f"/api/v1/reports/{report_id}", headers=self.headers, name="/api/v1/reports/[id]",
                             catch_response=True) as response:
            # 202 while the job is queued or running is an answer, not a failure.
            if response.status_code not in (200, 202):
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(3)
    def predict_pandas(self):
        rows = random.sample(HOUSES, k=random.randint(1, len(HOUSES)))
        with self.client.post("/predict", json=pandas_columns(rows), catch_response=True) as response:
            if response.status_code != 200 or len(response.json().get("prediction", [])) != len(rows):
                response.failure(f"{response.status_code}: {response.text[:200]}")


@events.quitting.add_listener
def enforce_thresholds(environment, **_):
    total = environment.stats.total
    p95 = total.get_response_time_percentile(0.95) or 0
    verdict = []
    if total.num_requests == 0:
        verdict.append("no requests were made")
    if total.fail_ratio > MAX_FAILURE_RATIO:
        verdict.append(f"failure ratio {total.fail_ratio:.2%} > {MAX_FAILURE_RATIO:.2%}")
    if MAX_P95_MS > 0 and p95 > MAX_P95_MS:
        verdict.append(f"p95 {p95:.0f} ms > {MAX_P95_MS:g} ms")
    print(f"loadtest: {total.num_requests} requests, {total.total_rps:.0f} req/s, failures {total.fail_ratio:.2%}, "
          f"p50 {total.median_response_time:.0f} ms, p95 {p95:.0f} ms, p99 {total.get_response_time_percentile(0.99) or 0:.0f} ms")
    if verdict:
        print("loadtest: FAIL: " + "; ".join(verdict))
        environment.process_exit_code = 1
    else:
        print("loadtest: PASS")
        environment.process_exit_code = 0
