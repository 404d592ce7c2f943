/**
 * Why a log line was not counted, as reports give it (`dl.skipped`). Each line that is neither a
 * counted download nor a CloudFront `#Version:`/`#Fields:` directive is skipped for exactly one
 * of these reasons: the first that applies, in this order.
 *
 * To add a new reason:
 * 1. Add it here, at the place in the order where it is checked, with the sentence that describes it.
 * 2. Return it from the format's parser (`cloudfront.ts`, `fastly.ts`) or from `request.ts`.
 * 3. Specify it in `spec/security/download-counting.md` and test it in `test/security/downloads.test.ts`.
 */
export const skipReasons = {
  'line-too-long': 'the line is longer than the limit',
  blank: 'the line is empty',
  comment: 'a CloudFront `#` line other than `#Version:` and `#Fields:`',
  'no-fields': 'a CloudFront row before any `#Fields:` line',
  'missing-field': 'a field the counter needs is absent or of the wrong type',
  'field-count': 'a CloudFront row whose field count differs from the `#Fields:` line',
  'not-syslog': 'a Fastly line that is not `<134>{timestamp} {host} {name}[pid]: {json}`',
  'invalid-json': 'a Fastly line whose JSON does not parse, or is not an object',
  'unsupported-version': 'a Fastly record whose `version` is not `"1"`',
  'invalid-date': 'the date is not a valid calendar date (CloudFront `date`, Fastly `date_time` in RFC 3339)',
  method: 'the method is not `GET`',
  status: 'the status is not 200',
  'user-agent': 'the user agent is not cargo\'s',
  'percent-encoding': 'the path holds a malformed percent-encoding',
  'not-a-download': 'the path is not a crate download path',
  'invalid-crate-name': 'the crate name in the path is not a valid crate name',
  'invalid-version': 'the version in the path is not a semantic version',
  'name-mismatch': 'the crate names in the path\'s folder and file differ',
} as const

/** One of {@link skipReasons}. */
export type SkipReason = keyof typeof skipReasons

/** A line that was skipped: its reason and, for the report, what was found (never personal data: no address or user agent). */
export interface Skip {
  skip: SkipReason
  /** What was found, for the report's sample (a path, a version, a field name). */
  found?: string
}
