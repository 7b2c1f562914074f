import type { TaskList } from "graphile-worker";
import type { EmailSender } from "~/modules/notifications/delivery.server";
import { sendEmailTask } from "./send-email";

/** Every task the worker runs. Each parses its payload with zod and works inside withTenant. */
export function taskList(deps: { emailSender?: EmailSender } = {}): TaskList {
  return {
    send_email: sendEmailTask(deps.emailSender),
  };
}

/** Few entries with stable ids; each fans out to per-tenant jobs (DESIGN.md §5). None yet. */
export const crontab = "";
