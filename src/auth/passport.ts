import passport, { type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../db/knex.js';
import type { AuthService, LoginResult } from './auth.service.js';
import { findUserById } from './users.repository.js';

interface SessionUser {
  id: number;
  epoch: number;
}

/**
 * Passport checks the password (through the auth service) and keeps {id, epoch} in the session.
 * Each request reloads the user: a deactivated user, or one whose sessions were ended (epoch
 * bumped by a password change), is logged out at once, in every app process.
 */
export function createPassport(db: Db, auth: AuthService): PassportStatic {
  const p = new passport.Passport() as unknown as PassportStatic;
  p.use(
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true },
      (req, email, password, done) => {
        auth
          .login(email, password, req.ip ?? 'unknown')
          .then((r: LoginResult) =>
            r.ok ? done(null, r.user) : done(null, false, { message: r.reason, ...r }),
          )
          .catch(done);
      },
    ),
  );
  p.serializeUser((user, done) =>
    done(null, { id: user.id, epoch: user.sessionEpoch } satisfies SessionUser),
  );
  p.deserializeUser((data: SessionUser, done) => {
    findUserById(db, Number(data?.id))
      .then((u) => done(null, u && u.active && u.sessionEpoch === data.epoch ? u : false))
      .catch(done);
  });
  return p;
}
