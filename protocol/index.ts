export * from "./signing";
export * from "./status";
export * from "./types";
export * from "./rules";
export * from "./coercion";
export * from "./duration";
