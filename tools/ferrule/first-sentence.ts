/** The first sentence of a rule's text, at most about 200 characters. */
export function firstSentence(text: string): string {
  const end = /[.!?:](?=\s+[A-Z`(]|$)/.exec(text)
  const sentence = end ? text.slice(0, end.index + 1) : text
  return sentence.length > 200 ? sentence.slice(0, 199).trimEnd() + '…' : sentence
}
