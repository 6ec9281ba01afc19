/**
 * Text whose `backticked` parts are code, as the server writes explanations (the verifier
 * explainer's catalogue, the CO-RE report).
 */
export function WithCode({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, i) =>
        // Parts alternate text and code, in a fixed order.
        // biome-ignore lint/suspicious/noArrayIndexKey: static list per text
        i % 2 === 1 ? <code key={i}>{part}</code> : part,
      )}
    </>
  );
}
