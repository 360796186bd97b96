import type { RiskLevel } from './chatbot';

/** One message a user sent the support chatbot and its answer; visible to that user alone. */
export interface ChatbotInteraction {
  id: string;
  userId: string;
  message: string;
  response: string;
  riskLevel: RiskLevel;
  /** Ids of the classifier rules that fired (`cssrs.plan`, `means.firearm`, `negation.past`...): why this level. */
  riskRules: string[];
  createdAt: Date;
}
