import { describe, expect, it } from "vitest";
import { KeyedSemaphore } from "./attempts";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("KeyedSemaphore", () => {
  it("lets `capacity` holders of a key in at once, the rest in order as slots are released, other keys untouched", async () => {
    const gate = new KeyedSemaphore(2);
    const order: string[] = [];
    const a1 = await gate.acquire("a");
    const a2 = await gate.acquire("a");
    const waiting = [gate.acquire("a").then((r) => (order.push("a3"), r)), gate.acquire("a").then((r) => (order.push("a4"), r))];
    const b1 = await gate.acquire("b");
    await tick();
    expect(order).toEqual([]);
    a1();
    await tick();
    expect(order).toEqual(["a3"]);
    a1(); // releasing twice gives nothing back twice
    await tick();
    expect(order).toEqual(["a3"]);
    a2();
    await tick();
    expect(order).toEqual(["a3", "a4"]);
    const [a3, a4] = await Promise.all(waiting);
    b1();
    a3?.();
    a4?.();
    expect(gate.size()).toBe(0);
  });
});
