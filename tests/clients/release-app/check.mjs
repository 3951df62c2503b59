// Uses the installed @keyhold/sdk as a user would (KEYHOLD_* from the environment) and prints what it saw as JSON.
import { createVerifier, Keyhold } from "@keyhold/sdk";
import { keyhold } from "@keyhold/sdk/express";

const who = await new Keyhold().whoami();
const verdict = await createVerifier().verify(process.env.KEYHOLD_API_KEY);
console.log(JSON.stringify({ whoami: who.key.id, verify: [verdict.valid, verdict.code], express: typeof keyhold }));
