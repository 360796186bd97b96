import type { AccessedResource } from '../contracts/access-audit';

/**
 * The reads of health information one operation (or one subscription event) has shown its viewer,
 * one per resource however often it was shown; written in one insert before the answer is sent.
 */
export class PendingAccessReads {
  private readonly byKey = new Map<string, AccessedResource>();

  add(resource: AccessedResource): void {
    const key = `${resource.type}:${resource.id}`;
    if (!this.byKey.has(key)) this.byKey.set(key, resource);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The pending reads, forgotten here (a subscription's next event starts empty). */
  take(): AccessedResource[] {
    const resources = [...this.byKey.values()];
    this.byKey.clear();
    return resources;
  }
}
