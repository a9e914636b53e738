import { describe, expect, it } from "vitest";
import { SEND_EMAIL_JOB } from "../../app/domain/email/outbox";
import { startQueue, stopQueue } from "../../app/jobs/queue.server";
import { openTestDatabase } from "../support/databases";

describe("stopping the job queue", () => {
  it("lets a job end that pg-boss writes after the stop go without failing on the closed database", async () => {
    const database = await openTestDatabase();
    const { boss, queue } = await startQueue(database);
    await queue.send(SEND_EMAIL_JOB, { outboxId: "00000000-0000-4000-8000-000000000000" });
    const [job] = await boss.fetch(SEND_EMAIL_JOB);
    expect(job).toBeDefined();
    await stopQueue(boss);
    await database.close();
    // pg-boss writes a job's end without awaiting it, after its handler returns: once the
    // database is closed, that write must neither throw nor reject (the job expires and runs again).
    await expect(boss.fail(SEND_EMAIL_JOB, job!.id, { reason: "late" })).resolves.toMatchObject({ affected: 0 });
    await expect(boss.complete(SEND_EMAIL_JOB, job!.id)).resolves.toMatchObject({ affected: 0 });
  });
});
