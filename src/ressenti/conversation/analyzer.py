"""Reading whole conversations: customers' turns by the engine, agents' turns by the behaviour detector."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ressenti.analysis.collector import collector_paused
from ressenti.analysis.engine import Engine
from ressenti.analysis.schemas import Analysis
from ressenti.conversation.behaviours import BehaviourDetector, CustomerContext
from ressenti.conversation.model import Conversation
from ressenti.conversation.report import TurnResult, build_report, met_customer
from ressenti.conversation.suggestions import Suggestions
from ressenti.conversation.trajectory import trajectory


class ConversationAnalyzer:
    """Builds the report of conversations; build it once and share it (it holds the engine)."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine if engine is not None else Engine.load()
        self.behaviours = BehaviourDetector(self.engine.rules)
        self.suggestions = {code: Suggestions.load(code) for code in self.engine.languages}

    def analyze(self, conversation: Conversation, reader_lang: str | None = None) -> dict[str, Any]:
        """The report of one conversation (its sentences for the reader in ``reader_lang`` when given)."""
        with collector_paused():
            customer = [t.text for t in conversation.turns if t.speaker == "customer"]
            readings = self.engine.analyze_batch(customer, [conversation.lang] * len(customer))
            return self._report(conversation, readings, reader_lang)

    def analyze_many(self, conversations: Sequence[Conversation]) -> list[dict[str, Any]]:
        """The reports of many conversations; their customer turns are read in one batch (faster).

        Like the engine's batch, it pauses the cyclic garbage collector (``collector_paused``):
        reports are plain dicts and lists without cycles.
        """
        with collector_paused():
            return self._analyze_many(conversations)

    def _analyze_many(self, conversations: Sequence[Conversation]) -> list[dict[str, Any]]:
        texts: list[str] = []
        langs: list[str | None] = []
        for conversation in conversations:
            for turn in conversation.turns:
                if turn.speaker == "customer":
                    texts.append(turn.text)
                    langs.append(conversation.lang)
        readings = iter(self.engine.analyze_batch(texts, langs))
        reports = []
        for conversation in conversations:
            mine = [next(readings) for turn in conversation.turns if turn.speaker == "customer"]
            reports.append(self._report(conversation, mine))
        return reports

    def _report(
        self, conversation: Conversation, readings: list[Analysis], reader_lang: str | None = None
    ) -> dict[str, Any]:
        lang = conversation.lang or Counter(r.lang for r in readings).most_common(1)[0][0]
        results: list[TurnResult] = []
        pending = iter(readings)
        said: list[str] = []
        churn = False
        customer: list[tuple[int, Analysis]] = []
        for index, turn in enumerate(conversation.turns):
            if turn.speaker == "customer":
                reading = next(pending)
                customer.append((index, reading))
                said.append(turn.text)
                churn = churn or reading.signals["churn_threat"].value
                results.append(TurnResult(index, turn.speaker, turn.text, turn.ts, analysis=reading))
            elif turn.speaker == "agent":
                context = CustomerContext(churn_threat=churn, texts=tuple(said))
                found = self.behaviours.detect(turn.text, lang, context)
                results.append(TurnResult(index, turn.speaker, turn.text, turn.ts, behaviours=tuple(found)))
            else:
                results.append(TurnResult(index, turn.speaker, turn.text, turn.ts))
        helped = [result.index for result in results if met_customer({b.name for b in result.behaviours})]
        answered = next((result.index for result in results if result.speaker == "agent"), None)
        replied = [result.index for result in results if result.speaker == "agent" and result.text.strip()]
        path = trajectory(customer, conversation.channel, helped, answered, replied[-1] if replied else None)
        return build_report(
            conversation, lang, results, path, self.suggestions[lang], self.engine.version, reader_lang
        )
