import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { certifications, trainingSettings } from '../db/schema';
import { AppError } from '../errors';

export type TrainingSettings = { requireCertification: boolean; passPercent: number };

export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = { requireCertification: false, passPercent: 80 };

/** The brand's training settings (the defaults when it has none stored). */
export async function trainingSettingsOf(db: Queryable, brandId: string): Promise<TrainingSettings> {
  const [row] = await db.select().from(trainingSettings).where(eq(trainingSettings.brandId, brandId));
  return row
    ? { requireCertification: row.requireCertification, passPercent: row.passPercent }
    : { ...DEFAULT_TRAINING_SETTINGS };
}

/** Whether the user holds a certification for the brand's current pack. */
export async function isCertified(
  db: Queryable,
  userId: string,
  brandId: string,
  packId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ userId: certifications.userId })
    .from(certifications)
    .where(
      and(
        eq(certifications.brandId, brandId),
        eq(certifications.userId, userId),
        eq(certifications.packId, packId),
      ),
    );
  return Boolean(row);
}

type GateAccess = {
  actor: { kind: string; userId?: string };
  brand: { id: string; name: string; packId: string };
  role: { capabilities: ReadonlySet<string> };
};

/**
 * The certification gate on working a brand's tickets: when the brand requires certification, a
 * person must hold one for the brand's pack. Those who lead training (training.manage) and API
 * tokens (integrations, not agents) pass. One indexed query: the brand's setting joined with the
 * person's certification.
 */
export async function requireCertifiedToWork(db: Queryable, access: GateAccess): Promise<void> {
  if (access.actor.kind !== 'user' || !access.actor.userId) return;
  if (access.role.capabilities.has('training.manage')) return;
  const [row] = await db
    .select({ required: trainingSettings.requireCertification, certified: certifications.userId })
    .from(trainingSettings)
    .leftJoin(
      certifications,
      and(
        eq(certifications.brandId, trainingSettings.brandId),
        eq(certifications.userId, access.actor.userId),
        eq(certifications.packId, access.brand.packId),
      ),
    )
    .where(eq(trainingSettings.brandId, access.brand.id));
  if (row?.required && !row.certified) {
    throw new AppError(
      'forbidden',
      `${access.brand.name} requires certification before working its tickets: pass the brand’s training quiz first.`,
      { certificationRequired: true, brandId: access.brand.id },
    );
  }
}
