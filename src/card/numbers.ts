/** Card numbers: sixteen digits whose last is a Luhn (ISO/IEC 7812) check digit. */

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

export const isCardNumber = (text: string): boolean => /^[0-9]{16}$/.test(text) && luhnSum(text) % 10 === 0;

/** The card number with `body` (fifteen digits) and its check digit. */
export function withCheckDigit(body: string): string {
  if (!/^[0-9]{15}$/.test(body)) throw new Error('a card number body is fifteen digits');
  return body + String((10 - (luhnSum(`${body}0`) % 10)) % 10);
}

/** What logs and operators see of a card: its last four digits. */
export const maskCard = (number: string): string => `••••${number.slice(-4)}`;
