import type { TenantDb } from "~db/client";
import type { Role } from "~db/schema";
import { hashPassword } from "~/modules/auth/password.server";
import { agentByUserId, createAgent, updateBankDetails } from "./agents.server";
import type { DemoAgent, NetworkManifest } from "./manifest";

/**
 * The demo network of a manifest: every demo user with the agent role becomes an active agent at
 * the top of the tree, then the manifest's demo agents join under their sponsors (listed before
 * their recruits). Idempotent: an account or agent that exists is left as it is.
 */
const MALAYSIAN_BANKS = ["Maybank", "CIMB Bank", "Public Bank", "RHB Bank", "Hong Leong Bank", "Bank Islam"];

export async function seedDemoNetwork(
  db: TenantDb,
  manifest: NetworkManifest,
  demoUsers: readonly { email: string; roles: readonly Role[] }[],
): Promise<void> {
  const { settings } = manifest;
  await db
    .insertInto("network_settings")
    .values({
      tiers: settings.tiers,
      unqualified_share: settings.unqualifiedShare,
      close_day: settings.closeDay,
      auto_close: settings.autoClose,
    })
    .onConflict((oc) => oc.column("tenant_id").doNothing())
    .execute();

  for (const demo of demoUsers.filter((u) => u.roles.includes("agent"))) {
    const user = await userByEmail(db, demo.email);
    if (user) await ensureAgent(db, user.id, null, { status: "active" });
  }
  for (const demo of manifest.demoAgents) {
    const userId = (await userByEmail(db, demo.email))?.id ?? (await createDemoAccount(db, demo));
    let sponsorId: string | null = null;
    if (demo.sponsor) {
      const sponsorUser = await userByEmail(db, demo.sponsor);
      const sponsor = sponsorUser ? await agentByUserId(db, sponsorUser.id) : undefined;
      if (!sponsor)
        throw new Error(`Demo agent ${demo.email}: sponsor ${demo.sponsor} is not an agent yet (list sponsors before their recruits)`);
      sponsorId = sponsor.id;
    }
    await ensureAgent(db, userId, sponsorId, { status: demo.status, phone: demo.phone });
  }
}

async function userByEmail(db: TenantDb, email: string) {
  return db.selectFrom("users").select("id").where("email", "=", email.toLowerCase()).executeTakeFirst();
}

async function createDemoAccount(db: TenantDb, demo: DemoAgent): Promise<string> {
  const passwordHash = await hashPassword(demo.password);
  const user = await db
    .insertInto("users")
    .values({
      email: demo.email.toLowerCase(),
      name: demo.name,
      phone: demo.phone ?? null,
      password_hash: passwordHash,
      email_verified_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("password_history").values({ user_id: user.id, password_hash: passwordHash }).execute();
  await db.insertInto("user_roles").values({ user_id: user.id, role: "agent" }).execute();
  return user.id;
}

async function ensureAgent(
  db: TenantDb,
  userId: string,
  sponsorId: string | null,
  options: { status: DemoAgent["status"]; phone?: string },
): Promise<void> {
  if (await agentByUserId(db, userId)) return;
  const agent = await createAgent(db, { userId, sponsorId, status: options.status, phone: options.phone ?? null });
  if (options.status === "pending") return;
  // Approved demo agents have a confirmed phone and somewhere to be paid, as real ones would.
  if (options.phone) await db.updateTable("agents").set({ phone_verified_at: new Date() }).where("id", "=", agent.id).execute();
  const holder = await db.selectFrom("users").select(["name", "tenant_id"]).where("id", "=", userId).executeTakeFirstOrThrow();
  const n = Number(agent.agentNumber);
  await updateBankDetails(
    db,
    holder.tenant_id,
    {
      agentId: agent.id,
      bankName: MALAYSIAN_BANKS[n % MALAYSIAN_BANKS.length]!,
      accountNumber: `5621${String(n).padStart(6, "0")}${String((n * 7) % 100).padStart(2, "0")}`,
      accountHolder: holder.name.toUpperCase(),
    },
    {},
  );
}
