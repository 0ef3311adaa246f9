import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadJar } from "../tlc-locate.js";

const dir = mkdtempSync(join(tmpdir(), "synod-specs-download-"));
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/jar") response.end(Buffer.from("PK\x03\x04fake jar"));
    else if (request.url === "/html") response.end("<html>not a jar</html>");
    else if (request.url === "/slow") setTimeout(() => response.end("PK"), 2_000);
    else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("downloadJar (against a local server)", () => {
  it("writes a jar to the target, creating its folder", async () => {
    const target = join(dir, "a", "tla2tools.jar");
    expect(await downloadJar(target, `${base}/jar`, 5_000)).toBeUndefined();
    expect(readFileSync(target, "latin1")).toBe("PK\x03\x04fake jar");
  });

  it("refuses an HTTP error, a file that is not a jar and a slow server, leaving no file", async () => {
    const target = join(dir, "b", "tla2tools.jar");
    expect(await downloadJar(target, `${base}/missing`, 5_000)).toContain("HTTP 404");
    expect(await downloadJar(target, `${base}/html`, 5_000)).toContain("is not a jar");
    expect(await downloadJar(target, `${base}/slow`, 200)).toContain("offline?");
    expect(existsSync(target)).toBe(false);
  });
});
