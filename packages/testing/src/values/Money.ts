/**
 * A value class for codec tests: register it with a codec (`new SuperJsonCodec().registerClass(Money)`)
 * and an instance crosses the wire as a `Money`, methods included. The amount may be a number
 * or a bigint: the codecs keep either.
 */
export class Money {
  /**
   * @param amount - The amount, a number or a bigint.
   * @param currency - The currency code, e.g. `'EUR'`.
   */
  constructor(
    readonly amount: number | bigint,
    readonly currency: string,
  ) {}

  /** The amount and the currency, e.g. `12 EUR`. */
  format(): string {
    return `${this.amount} ${this.currency}`;
  }
}
