/** Where the CLI writes and what it reads from the process: injected so tests can run the CLI in-process. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (live progress is drawn only there). */
  readonly stderrIsTTY?: boolean;
  /**
   * Asks the person at the terminal a question and returns the answer; absent when nobody can answer (stdin is not
   * a terminal, CI), and commands then decide without asking.
   */
  readonly ask?: (question: string) => Promise<string>;
  /** Opens files in the user's editor; returns the editor's exit status. */
  openEditor(command: string, paths: readonly string[]): number;
}
