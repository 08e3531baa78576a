"""A small Chrome DevTools Protocol client over Chromium's --remote-debugging-pipe
(fd 3 in, fd 4 out, messages ending in NUL), for bench/serve.sh: no WebDriver, no
WebSocket library."""
import base64, json, os, subprocess, tempfile, time


class Browser:
    def __init__(self, chromium="chromium", size=(1280, 800)):
        self._profile = tempfile.TemporaryDirectory()
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-pipe",
                f"--window-size={size[0]},{size[1]}", f"--user-data-dir={self._profile.name}",
                "about:blank"]
        # The shell hands our pipes to Chromium as its fd 3 (what it reads) and fd 4.
        self.proc = subprocess.Popen(
            ["sh", "-c", 'exec "$@" 3<&0 4>&1 0</dev/null 1>/dev/null', "sh", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._w = self.proc.stdin.fileno()
        self._r = self.proc.stdout.fileno()
        self._buf = b""
        self._id = 0
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def _read(self):
        while b"\0" not in self._buf:
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def page(self, method, params=None):
        return self.call(method, params, self.session)

    def eval(self, expression):
        r = self.page("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True})
        return r["result"].get("value")

    def wait(self, expression, timeout=60.0):
        end = time.time() + timeout
        while time.time() < end:
            v = self.eval(expression)
            if v:
                return v
            time.sleep(0.005)
        raise TimeoutError(expression)

    def screenshot(self, path):
        data = self.page("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        self.proc.wait(timeout=10)
