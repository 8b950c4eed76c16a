// The USMCA assistant as a page (POST /assist/chat): the same conversation as the header's chat
// panel (components/Assist.tsx), at full width. Opening the panel here moves the conversation
// into it, so the two never show at once.
import { useEffect } from "preact/hooks";
import { setAssistOpen, setAssistPageShown, useAssist } from "../assist";
import { AssistConversation } from "../components/Assist";
import { useTitle } from "../hooks";

export function AssistantPage() {
  useTitle("Assistant");
  const { open } = useAssist();
  useEffect(() => {
    setAssistPageShown(true);
    return () => setAssistPageShown(false);
  }, []);

  return (
    <section class="assistant">
      <h1>USMCA assistant</h1>
      <p class="muted">
        Ask about USMCA rules of origin, certifications, duties and fees, or US import basics. Answers come from a
        reviewed knowledge base with their sources; the assistant says when it does not know. It is not legal advice.
        The same conversation is in the “Ask the assistant” panel on every page.
      </p>
      {open ? (
        <div class="card">
          <p>The conversation is open in the assistant panel.</p>
          <button type="button" class="button-secondary" onClick={() => setAssistOpen(false)}>
            Show it here instead
          </button>
        </div>
      ) : (
        <div class="card">
          <AssistConversation idPrefix="assist-page" />
        </div>
      )}
    </section>
  );
}
