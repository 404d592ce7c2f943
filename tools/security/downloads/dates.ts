// Calendar dates and RFC 3339 times, checked by hand rather than by `Date`, which accepts
// `2024-02-30` and reads the local time zone (`sec.determinism.time`).

/** Whether `text` is a `YYYY-MM-DD` date that exists in the proleptic Gregorian calendar. */
export function isCalendarDate(text: string): boolean {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return false
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 7)
  const day = digits(text, 8, 10)
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/**
 * `isCalendarDate` for a run of dates that are mostly the one before (a log's rows are of a day or
 * two): the date when it is a real one, else undefined.
 */
export function calendarDay(): (text: string) => string | undefined {
  let last = ''
  let valid = false
  return (text) => {
    if (text !== last) {
      last = text
      valid = isCalendarDate(text)
    }
    return valid ? text : undefined
  }
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/**
 * The UTC day (`YYYY-MM-DD`) of an RFC 3339 date-time (`2024-01-15T23:30:00-01:00` is
 * `2024-01-16`), or undefined when `text` is not one. A leap second (`:60`) belongs to the minute
 * it ends.
 */
export function utcDay(text: string): string | undefined {
  if (text.length === 20) {
    const day = zuluDay(text)
    if (day !== null) return day
  }
  const match = rfc3339.exec(text)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s, zulu, sign, oh, om] = match as unknown as string[]
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || Number(s) > 60) return undefined
  if (zulu !== undefined) return text.slice(0, 10)
  const offsetHours = Number(oh)
  const offsetMinutes = Number(om)
  if (offsetHours > 23 || offsetMinutes > 59) return undefined
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes)
  const minutes = hour * 60 + minute - offset
  if (minutes >= 0 && minutes < 24 * 60) return text.slice(0, 10)
  // The offset moves the time into the day before or after; Date does only that arithmetic here.
  // (setUTCFullYear, not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.)
  const utc = new Date(0)
  utc.setUTCFullYear(year, month - 1, day)
  utc.setUTCMinutes(minutes)
  // A day before the year 0000 has no `YYYY-MM-DD`.
  return utc.getUTCFullYear() < 0 ? undefined : utc.toISOString().slice(0, 10)
}

/**
 * The day of `YYYY-MM-DDTHH:MM:SSZ`, the form Fastly logs, read without the pattern: the day, or
 * undefined when it is that form but no real time; null when it is not that form.
 */
function zuluDay(text: string): string | undefined | null {
  const zulu = text.charCodeAt(19) | 0x20 // `Z` or `z`
  const t = text.charCodeAt(10) | 0x20
  if (zulu !== 0x7a || t !== 0x74 || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) return null
  const hour = digits(text, 11, 13)
  const minute = digits(text, 14, 16)
  const second = digits(text, 17, 19)
  if (hour < 0 || minute < 0 || second < 0) return null
  const day = text.slice(0, 10)
  return isCalendarDate(day) && hour <= 23 && minute <= 59 && second <= 60 ? day : undefined
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** The decimal number in `text[start, end)`, or -1 when it holds anything but ASCII digits. */
function digits(text: string, start: number, end: number): number {
  let value = 0
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index) - 48
    if (code < 0 || code > 9) return -1
    value = value * 10 + code
  }
  return value
}
