/** Options every command takes. */
export interface CommonArgs {
  stdin: boolean;
  errorsInline: boolean;
}
