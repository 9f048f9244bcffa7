import { describe, expect, it } from 'vitest';
import { formatDecimal, formatMoney, parsePriceCents } from '../../core/money.js';

describe('parsePriceCents', () => {
  it.each([
    ['39.9', 3990],
    ['39.90', 3990],
    ['39', 3900],
    ['0.01', 1],
    ['¥39.9', 3990],
    ['￥39.9', 3990],
    ['$5', 500],
    ['39.9元', 3990],
    ['39,9', 3990],
    [' 12.5 ', 1250],
  ])('reads %j as %i cents', (input, cents) => {
    expect(parsePriceCents(input)).toBe(cents);
  });

  it.each(['', '0', '0.00', '-1', 'abc', '39.999', '1e3', '12345678', '39.9.9', '三十'])('refuses %j', (input) => {
    expect(parsePriceCents(input)).toBeUndefined();
  });

  it('keeps sums exact where floating point would not (0.1 + 0.2)', () => {
    expect(parsePriceCents('0.1')! + parsePriceCents('0.2')!).toBe(parsePriceCents('0.3'));
  });
});

describe('formatMoney', () => {
  it('shows cents with the currency symbol and two decimals', () => {
    expect(formatMoney(3990, '¥')).toBe('¥39.90');
    expect(formatMoney(5, '€')).toBe('€0.05');
    expect(formatMoney(100_000, '$')).toBe('$1000.00');
  });

  it('puts the minus sign before the symbol', () => {
    expect(formatMoney(-250, '¥')).toBe('-¥2.50');
  });
});

describe('formatDecimal', () => {
  it('writes a plain decimal for files', () => {
    expect(formatDecimal(3590)).toBe('35.90');
    expect(formatDecimal(1)).toBe('0.01');
  });
});
