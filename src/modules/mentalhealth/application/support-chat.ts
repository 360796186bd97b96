import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { AccessAudit, type AccessedResource } from '../../../contracts/access-audit';
import { UserDirectory } from '../../../contracts/users';
import { requireViewer } from '../../../platform/auth';
import type { Clock } from '../../../platform/clock';
import { PLATFORM } from '../../../platform/container';
import type { OperationContext } from '../../../platform/context';
import { InvalidInputError } from '../../../platform/errors';
import { isUuid } from '../../../platform/ids';
import { analyseMessage, MAX_CHATBOT_MESSAGE_LENGTH } from '../domain/chatbot';
import { composeResponse } from '../domain/chatbot-replies';
import type { ChatbotInteraction } from '../domain/chatbot-interaction';
import { CareRelationships } from './care-relationships';
import { MentalHealthStoreKey, type MentalHealthStore } from './ports';

const MAX_RECENT = 100;

/** Every interaction is health information of the user who wrote it. */
const accessedInteraction = (interaction: ChatbotInteraction): AccessedResource => ({
  type: 'ChatbotInteraction',
  id: interaction.id,
  patientId: interaction.userId,
});

/** The built-in support chatbot: answers, classifies risk, alerts therapists to a crisis. */
@injectable()
export class SupportChat {
  constructor(
    @inject(MentalHealthStoreKey) private readonly store: MentalHealthStore,
    @inject(UserDirectory) private readonly users: UserDirectory,
    @inject(AccessAudit) private readonly audit: AccessAudit,
    @inject(PLATFORM.Clock) private readonly clock: Clock,
    @inject(CareRelationships) private readonly care: CareRelationships,
  ) {}

  async send(op: OperationContext, message: string): Promise<ChatbotInteraction> {
    const viewer = requireViewer(op.viewer);
    const text = message.trim();
    if (!text) throw new InvalidInputError('message must not be empty', { field: 'message' });
    if (text.length > MAX_CHATBOT_MESSAGE_LENGTH) {
      throw new InvalidInputError(`message must be at most ${MAX_CHATBOT_MESSAGE_LENGTH} characters`, { field: 'message' });
    }
    // Only therapists in a care relationship now are alerted (and named in the answer).
    const therapistIds = viewer.role === 'PATIENT' ? await this.care.therapistsOf(op, viewer.userId) : [];
    const [me, therapist] = await Promise.all([
      this.users.findById(op, viewer.userId),
      therapistIds.length ? this.users.findById(op, therapistIds[0]) : Promise.resolve(null),
    ]);
    const analysis = analyseMessage(text);
    const riskLevel = analysis.level;
    const interaction: ChatbotInteraction = {
      id: randomUUID(),
      userId: viewer.userId,
      message: text,
      response: composeResponse(analysis, {
        firstName: me?.firstName,
        therapistName: therapist ? `${therapist.firstName} ${therapist.lastName}` : null,
      }),
      riskLevel,
      riskRules: analysis.rules,
      createdAt: this.clock.now(),
    };
    await this.store.transaction(op, async ({ chatbot, events, audit }) => {
      chatbot.add(interaction);
      await audit.record('CREATE', [accessedInteraction(interaction)]);
      if (riskLevel === 'CRISIS') {
        await events.record('ChatbotCrisisDetected', interaction.id, { interactionId: interaction.id, patientId: viewer.userId, therapistIds }, interaction.createdAt);
      } else if (riskLevel === 'ELEVATED') {
        // For analytics' crisis trend; no alert goes out below CRISIS.
        await events.record('ChatbotRiskElevated', interaction.id, { interactionId: interaction.id, patientId: viewer.userId }, interaction.createdAt);
      }
    });
    return interaction;
  }

  /** The viewer's own interactions, newest first. */
  async recent(op: OperationContext, limit: number): Promise<ChatbotInteraction[]> {
    const viewer = requireViewer(op.viewer);
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidInputError('limit must be a positive integer', { field: 'limit' });
    const interactions = await this.store.read(op).chatbot.recent(viewer.userId, Math.min(limit, MAX_RECENT));
    this.audit.read(op, interactions.map(accessedInteraction));
    return interactions;
  }

  /** Interactions by id, in order: the viewer's own only (null for anyone else's, as for an unknown id); each one shown is recorded. */
  async own(op: OperationContext, ids: readonly string[]): Promise<Array<ChatbotInteraction | null>> {
    const wanted = op.viewer ? [...new Set(ids.filter(isUuid))] : [];
    const found = wanted.length > 0 ? await this.store.read(op).chatbot.findOwn(op.viewer!.userId, wanted) : [];
    this.audit.read(op, found.map(accessedInteraction));
    const byId = new Map(found.map((interaction) => [interaction.id, interaction]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
