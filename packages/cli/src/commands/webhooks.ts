// keyhold webhooks list|create|deliveries|redeliver|test: the organization's webhook endpoints (an admin-scope key).
import type { Webhook, WebhookDelivery } from "@keyhold/sdk";
import { InvalidArgumentError, type Command } from "commander";
import { action, clientFor } from "../context.js";
import { fields, note, out, style, table, when } from "../output.js";

const repeatable = (value: string, previous: string[] = []) => [...previous, ...value.split(",").filter(Boolean)];

function limit(value: string) {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100)
    throw new InvalidArgumentError("expected a whole number from 1 to 100");
  return Number(value);
}

function state(w: Webhook): string {
  if (w.enabled) return w.failingSince ? style.yellow("failing") : style.green("enabled");
  return style.red(w.disabledReason ? "disabled by Keyhold" : "disabled");
}

function deliveryStatus(d: WebhookDelivery): string {
  if (d.status === "succeeded") return style.green("succeeded");
  if (d.status === "failed") return style.red("failed");
  return style.yellow("pending");
}

// Adds `webhooks` and its subcommands to the program.
export function webhooksCommands(program: Command) {
  const webhooks = program
    .command("webhooks")
    .description("list and add webhook endpoints, read their delivery log, redeliver, send a test event");

  webhooks
    .command("list")
    .description("the organization's webhook endpoints")
    .action(
      action(async (g) => {
        const { data } = await clientFor(g).webhooks.list();
        return {
          json: { data },
          human: () =>
            table(
              ["ID", "URL", "EVENTS", "STATE", "CREATED"],
              data.map((w) => [w.id, w.url, w.events.join(","), state(w), when(w.createdAt)]),
            ),
        };
      }),
    );

  webhooks
    .command("create")
    .description("add an endpoint; its signing secret (whsec_…) is printed once")
    .requiredOption("--url <url>", "where to POST events (https)")
    .requiredOption("--event <type>", "an event type such as key.created (repeatable, or comma-separated)", repeatable)
    .option("--description <text>", "what the endpoint is for")
    .action(
      action(async (g, opts: { url: string; event: string[]; description?: string }) => {
        const created = await clientFor(g).webhooks.create({
          url: opts.url,
          events: opts.event as Webhook["events"],
          ...(opts.description !== undefined ? { description: opts.description } : {}),
        });
        return {
          json: created,
          human: () => {
            fields([
              ["ID", created.webhook.id],
              ["URL", created.webhook.url],
              ["Events", created.webhook.events.join(", ")],
            ]);
            out();
            note(style.errDim("The signing secret below is shown this once. Store it now."));
            out(created.secret);
          },
        };
      }),
    );

  webhooks
    .command("deliveries")
    .description("an endpoint's delivery log, newest first")
    .argument("<id>", "the endpoint's id")
    .option("--limit <n>", "deliveries per page (1-100)", limit)
    .option("--cursor <cursor>", "the page after this cursor (nextCursor of the previous page)")
    .action(
      action(async (g, id: string, opts: { limit?: number; cursor?: string }) => {
        const page = await clientFor(g).webhooks.deliveries(id, {
          ...(opts.limit ? { limit: opts.limit } : {}),
          ...(opts.cursor ? { cursor: opts.cursor } : {}),
        });
        return {
          json: page,
          human: () => {
            table(
              ["ID", "EVENT", "TYPE", "STATUS", "ATTEMPTS", "LAST", "CREATED"],
              page.data.map((d) => [
                d.id,
                d.eventId,
                d.eventType,
                deliveryStatus(d),
                String(d.attempts),
                d.lastStatus !== null ? String(d.lastStatus) : (d.lastError ?? "-"),
                when(d.createdAt),
              ]),
            );
            if (page.nextCursor)
              note(style.errDim(`More: keyhold webhooks deliveries ${id} --cursor ${page.nextCursor}`));
          },
        };
      }),
    );

  webhooks
    .command("redeliver")
    .description("attempt a delivery again now")
    .argument("<id>", "the endpoint's id")
    .argument("<delivery>", "the delivery's id (see webhooks deliveries)")
    .action(
      action(async (g, id: string, deliveryId: string) => {
        const delivery = await clientFor(g).webhooks.redeliver(id, deliveryId);
        return {
          json: delivery,
          human: () => out(`Queued another attempt of ${delivery.id} (${delivery.eventType}).`),
        };
      }),
    );

  webhooks
    .command("test")
    .description("send a signed webhook.test event to this endpoint only")
    .argument("<id>", "the endpoint's id")
    .action(
      action(async (g, id: string) => {
        const sent = await clientFor(g).webhooks.test(id);
        return {
          json: sent,
          human: () =>
            out(
              `Queued webhook.test event ${sent.eventId} as delivery ${sent.deliveryId}: see keyhold webhooks deliveries ${id}`,
            ),
        };
      }),
    );
}
