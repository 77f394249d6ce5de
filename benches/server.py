#!/usr/bin/env python3
"""Issue 24's figures for `wazuh-mitre server`: start-up (spawn to the answer to
`initialize`) and a change on a 2,000-rule file (`didChange` sent to its diagnostics
published), each the fastest and the median of RUNS runs.

Usage: python3 benches/server.py [BINARY]   (default target/release/wazuh-mitre; RUNS=20)
"""
import json, os, statistics, subprocess, sys, tempfile, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/wazuh-mitre"
RUNS = int(os.environ.get("RUNS", "20"))


class Client:
    def __init__(self):
        self.p = subprocess.Popen([BIN, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 1

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        length = 0
        while True:
            line = self.p.stdout.readline().strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == i:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self):
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics":
                return m["params"]["diagnostics"]

    def stop(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.p.wait()


def rules(n, k):
    body = "".join(
        f'  <rule id="{100000 + i}" level="5">\n    <if_sid>5716</if_sid>\n'
        f"    <match>sshd pattern {i} {k}</match>\n"
        f"    <description>Generated rule {i}</description>\n"
        + ("    <mitre>\n      <id>T1110</id>\n    </mitre>\n" if i % 3 else "")
        + "  </rule>\n"
        for i in range(n)
    )
    return f'<group name="local,">\n{body}</group>\n'


def figures(name, times):
    ms = [t * 1000 for t in times]
    print(f"{name:<48} fastest {min(ms):6.1f} ms   median {statistics.median(ms):6.1f} ms")


def main():
    init = {"processId": None, "rootUri": None, "capabilities": {}}
    starts = []
    for _ in range(RUNS):
        t = time.perf_counter()
        c = Client()
        c.request("initialize", init)
        starts.append(time.perf_counter() - t)
        c.notify("initialized", {})
        c.stop()
    figures("start-up (spawn to initialize answered)", starts)

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "local_rules.xml")
        text = rules(2000, 0)
        open(path, "w").write(text)
        uri = "file://" + path
        c = Client()
        c.request("initialize", init)
        c.notify("initialized", {})
        t = time.perf_counter()
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}})
        found = c.diagnostics()
        figures("didOpen, 2,000 rules, to diagnostics", [time.perf_counter() - t])
        changes = []
        for k in range(1, RUNS + 1):
            t = time.perf_counter()
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": k + 1}, "contentChanges": [{"text": rules(2000, k)}]})
            found = c.diagnostics()
            changes.append(time.perf_counter() - t)
        figures(f"didChange, 2,000 rules, to diagnostics ({len(found)})", changes)
        # Editors ask for code actions as the cursor moves: on an untagged rule (every third
        # one), the fixes and the suggested techniques. Three rules take 5 + 8 + 8 lines after
        # the `<group>` line; the cursor is on an untagged rule's description.
        for name, first in [("an untagged", 1), ("a tagged", 6)]:
            actions = []
            for k in range(RUNS):
                line = first + 21 * 3 * k + 3
                t = time.perf_counter()
                r = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 4}}, "context": {"diagnostics": []}})
                actions.append(time.perf_counter() - t)
            figures(f"codeAction on {name} rule ({len(r['result'])} actions)", actions)
        c.stop()


main()
