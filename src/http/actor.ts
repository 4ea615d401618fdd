import type { Request } from 'express';
import type { Actor } from '../auth/current-user.js';

/** Who acts in this request, for use cases and the audit log. Only called behind an access rule. */
export function actorOf(req: Request): Actor {
  if (!req.user) throw new Error('actorOf called on an anonymous request');
  return { user: req.user, requestId: String(req.id ?? '') };
}
