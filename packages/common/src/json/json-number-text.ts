// A JSON number kept as the text it was written as. The lenient parser returns these when asked
// (numbersAsText) so that a number can be turned into a string digit for digit (ext-field values:
// 1.50 stays "1.50", 2^64-1 keeps every digit); the fastjson writer writes them back verbatim.

export class JsonNumberText {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}
