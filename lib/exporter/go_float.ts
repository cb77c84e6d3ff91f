/**
 * Numbers as the Prometheus Go client writes them in the text format: `strconv.FormatFloat(v,
 * 'g', -1, 64)` (the shortest digits that read back as the same float64; an exponent from 1e+06
 * up and below 1e-04, at least two exponent digits) with `NaN`, `+Inf` and `-Inf` spelt out.
 * So 1830514928 is `1.830514928e+09` and 0.017332414 stays as it is, as blackbox_exporter prints.
 * @module
 */

/** `v` as Go's `strconv.FormatFloat(v, 'g', -1, 64)` and client_golang's text format write it. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return "0";
  // toExponential() without digits gives the shortest round-tripping digits, as Go's -1 does.
  const [mantissa, expText] = v.toExponential().split("e");
  const exp = Number(expText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace(/^-/, "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${whole}${frac ? `.${frac}` : ""}`;
}
