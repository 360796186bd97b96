import { Field, InputType } from 'type-graphql';
import { Role } from '../models/user.entity';

@InputType('RegisterInput', { description: 'A new patient or therapist account, created by the person themself' })
export class RegisterInput {
  @Field(() => String, { description: 'Sign-in address; must be a valid email address not yet in use (CONFLICT otherwise)' })
  email!: string;

  @Field(() => String, { description: 'At least 10 characters; stored only as a salted hash' })
  password!: string;

  @Field(() => String, { description: 'Given name' })
  firstName!: string;

  @Field(() => String, { description: 'Family name' })
  lastName!: string;

  @Field(() => Role, { nullable: true, defaultValue: Role.PATIENT, description: 'PATIENT or THERAPIST; other roles are created by an admin' })
  role?: Role | null;

  @Field(() => String, { nullable: true, defaultValue: 'UTC', description: 'IANA time zone, e.g. America/New_York' })
  timezone?: string | null;
}

@InputType('CreateUserInput', { description: 'An account an admin creates, of any role' })
export class CreateUserInput {
  @Field(() => String, { description: 'Sign-in address; must be a valid email address not yet in use (CONFLICT otherwise)' })
  email!: string;

  @Field(() => String, { description: 'Initial password, at least 10 characters; the user should change it' })
  password!: string;

  @Field(() => String, { description: 'Given name' })
  firstName!: string;

  @Field(() => String, { description: 'Family name' })
  lastName!: string;

  @Field(() => Role, { description: 'Any role, including ADMIN and ANALYST' })
  role!: Role;

  @Field(() => String, { defaultValue: 'UTC', description: 'IANA time zone, e.g. America/New_York' })
  timezone!: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Whether the person is already confirmed' })
  isVerified!: boolean;
}

@InputType('UpdateUserInput', { description: 'Omitted fields stay as they are; role, isVerified and isActive are for admins' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true, description: 'New given name' })
  firstName?: string | null;

  @Field(() => String, { nullable: true, description: 'New family name' })
  lastName?: string | null;

  @Field(() => String, { nullable: true, description: 'New IANA time zone, e.g. Europe/Berlin' })
  timezone?: string | null;

  @Field(() => Role, { nullable: true, description: 'Admins: the new role (counts from the next operation; sockets close with 4403)' })
  role?: Role | null;

  @Field(() => Boolean, { nullable: true, description: 'Admins: confirm (true) or unconfirm (false) the person' })
  isVerified?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Admins: false deactivates the account (sign-in and every token refused, sockets closed); true lets it sign in again",
  })
  isActive?: boolean | null;
}
