import { inject, injectable } from 'inversify';
import { Arg, Ctx, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { DomainEvent } from '../../../contracts/events';
import { renewForEvent, type OperationContext } from '../../../platform/context';
import { AFTER_ARGUMENT, AFTER_DESCRIPTION, liveEventCursor } from '../../../platform/live-events';
import { reference } from '../../../platform/references';
import { SupportChat } from '../application/support-chat';
import type { ChatbotInteraction } from '../domain/chatbot-interaction';
import { ChatbotCrisisAlertType, ChatbotInteractionType } from './types';

@injectable()
@Resolver(() => ChatbotInteractionType)
export class ChatbotResolver {
  constructor(@inject(SupportChat) private readonly chat: SupportChat) {}

  @Mutation(() => ChatbotInteractionType, { description: 'Talk to the support chatbot; crisis language alerts your therapist' })
  sendChatbotMessage(@Ctx() op: OperationContext, @Arg('message', () => String, { description: 'What you want to say (stored encrypted; only you can read it back)' }) message: string): Promise<ChatbotInteraction> {
    return this.chat.send(op, message);
  }

  @Query(() => [ChatbotInteractionType], { description: 'Your own chatbot interactions, newest first' })
  recentChatbotInteractions(@Ctx() op: OperationContext, @Arg('limit', () => Int, { defaultValue: 10, description: 'How many interactions at most: positive, capped at 100' }) limit: number): Promise<ChatbotInteraction[]> {
    return this.chat.recent(op, limit);
  }

  @Subscription(() => ChatbotCrisisAlertType, {
    topics: 'ChatbotCrisisDetected',
    filter: ({ payload, context }: { payload: DomainEvent<'ChatbotCrisisDetected'>; context: OperationContext }) =>
      context.viewer?.role === 'THERAPIST' && payload.payload.therapistIds.includes(context.viewer.userId),
    description: 'Therapists: a patient in a care relationship with you wrote crisis language to the chatbot',
  })
  chatbotCrisisAlerts(
    @Root() event: DomainEvent<'ChatbotCrisisDetected'>,
    @Ctx() op: OperationContext,
    @Arg(AFTER_ARGUMENT, () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after: string | null,
  ) {
    renewForEvent(op);
    // The users module shows the patient (its visibility rule, its profile-read record), per event.
    return { interactionId: event.payload.interactionId, patient: reference('User', event.payload.patientId), occurredAt: new Date(event.occurredAt), cursor: liveEventCursor(event) };
  }
}
