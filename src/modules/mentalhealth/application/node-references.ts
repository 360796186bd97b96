import { inject, injectable } from 'inversify';
import type { OperationContext } from '../../../platform/context';
import type { ReferenceResolver } from '../../../platform/references';
import type { ChatbotInteraction } from '../domain/chatbot-interaction';
import type { Disorder } from '../domain/disorder';
import { Disorders } from './disorders';
import { SupportChat } from './support-chat';

/** References to Disorder (Query.node): the catalogue is the same for everyone. */
@injectable()
export class DisorderReferences implements ReferenceResolver<Disorder> {
  constructor(@inject(Disorders) private readonly catalogue: Disorders) {}

  resolveReferences(op: OperationContext, ids: readonly string[]): Promise<Array<Disorder | null>> {
    return Promise.all(ids.map((id) => this.catalogue.get(op, id)));
  }
}

/** References to ChatbotInteraction (Query.node): its author alone sees it, like recentChatbotInteractions. */
@injectable()
export class ChatbotInteractionReferences implements ReferenceResolver<ChatbotInteraction> {
  constructor(@inject(SupportChat) private readonly chat: SupportChat) {}

  resolveReferences(op: OperationContext, ids: readonly string[]): Promise<Array<ChatbotInteraction | null>> {
    return this.chat.own(op, ids);
  }
}
