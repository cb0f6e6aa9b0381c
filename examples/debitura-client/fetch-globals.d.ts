// The generated client (generated/client/client.gen.ts) names `BodyInit`, a type of the DOM library.
// This repository type-checks for Node (lib ES2023 + @types/node), where fetch's body type is
// RequestInit['body'] but has no global name: this gives it one, so the generated code stays unedited.
declare global {
  type BodyInit = NonNullable<RequestInit['body']>;
}

export {};
