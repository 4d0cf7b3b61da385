/** Polls `url` until it answers 200, for at most `timeoutMs` (bounded: gives up with an error). */
export async function waitForHealthy(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms (${last})`);
}
