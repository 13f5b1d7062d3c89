"""What people read, in French and English: labels and messages, chosen by the user's locale.

``RESSENTI_LANG`` (``fr`` or ``en``) wins; otherwise ``LC_ALL``/``LC_MESSAGES``/``LANG``; French
when nothing says otherwise, since Ressenti speaks to French teams first. A ``RESSENTI_LANG`` naming
another language (``de``) is passed over as if unset, and ``language_warning`` says so.

A message is ``str.format`` text, with one addition for counts: ``{count:singular|plural}`` writes the
form that agrees with the number ``count`` ("{count} {count:ligne ignorée|lignes ignorées}"). French
takes the singular for 0 and 1, English for 1 only.
"""

from __future__ import annotations

import errno
import json
import os
import re
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ressenti.jsontext import LineTooLongError, NotJsonError

EMOTION_NAMES = {
    "anger": ("colère", "anger"),
    "frustration": ("agacement", "frustration"),
    "anxiety": ("inquiétude", "anxiety"),
    "confusion": ("incompréhension", "confusion"),
    "sadness": ("déception", "sadness"),
    "satisfaction": ("satisfaction", "satisfaction"),
    "gratitude": ("reconnaissance", "gratitude"),
    "neutral": ("neutre", "neutral"),
}
SENTIMENT_NAMES = {
    "negative": ("négatif", "negative"),
    "neutral": ("neutre", "neutral"),
    "positive": ("positif", "positive"),
}
SIGNAL_NAMES = {
    "complaint": ("réclamation", "complaint"),
    "churn_threat": ("menace de résiliation", "churn threat"),
    "escalation_request": ("demande d'escalade", "escalation request"),
    "legal_threat": ("menace juridique", "legal threat"),
    "public_exposure": ("exposition publique", "public exposure"),
    "urgency": ("urgence", "urgency"),
}
# What else a cue's note may name: an irony marker ("sarcasm" in the signal tables), and the irony it
# made the rules read ("irony": a positive word read as its opposite).
IRONY_NOTES = {
    "irony": ("ironie", "irony"),
    "sarcasm": ("marqueur d'ironie", "irony marker"),
}
BEHAVIOUR_NAMES = {
    "acknowledgement": ("reconnaissance de l'émotion", "acknowledgement"),
    "reformulation": ("reformulation", "reformulation"),
    "empathy": ("empathie", "empathy"),
    "apology": ("excuses", "apology"),
    "explanation": ("explication", "explanation"),
    "solution": ("solution concrète", "concrete solution"),
    "defensive": ("langage défensif", "defensive language"),
    "minimising": ("minimisation", "minimising"),
    "jargon": ("jargon", "jargon"),
    "scripted": ("script hors sujet", "script instead of an answer"),
    "closing_followup": ("suivi en clôture", "closing follow-up"),
    "churn_response": ("réponse à la menace de départ", "response to a churn threat"),
    "nvc_observation": ("CNV : observation", "NVC: observation"),
    "nvc_feeling": ("CNV : sentiment", "NVC: feeling"),
    "nvc_need": ("CNV : besoin", "NVC: need"),
    "nvc_request": ("CNV : demande", "NVC: request"),
    "calming": ("apaisement", "calming"),
    "churn_ignored": ("menace de départ sans réponse", "churn threat left unanswered"),
    "no_emotional_level": ("émotion du client non prise en compte", "customer's emotion not acknowledged"),
    "no_rational_level": ("ni explication ni solution", "no explanation nor solution"),
    "no_closing_followup": ("pas de suivi en clôture", "no closing follow-up"),
}
MOTIVE_NAMES = {
    "delay": ("retard", "delay"),
    "cancellation": ("annulation", "cancellation"),
    "lost_or_damaged": ("perte ou avarie", "lost or damaged"),
    "defective_product": ("produit défectueux", "defective product"),
    "billing_error": ("erreur de facturation", "billing error"),
    "unjustified_fees": ("frais injustifiés", "unjustified fees"),
    "slow_after_sales": ("SAV trop lent", "slow after-sales"),
    "poor_service": ("mauvais service", "poor service"),
    "order_or_booking_problem": ("problème de commande ou réservation", "order or booking problem"),
    "refund": ("remboursement", "refund"),
    "technical_issue": ("problème technique", "technical issue"),
    "account_access": ("accès au compte", "account access"),
    "waiting_time": ("temps d'attente", "waiting time"),
    "other": ("autre", "other"),
}
LANGUAGE_NAMES = {"fr": ("français", "French"), "en": ("anglais", "English")}
CHANNEL_NAMES = {
    "chat": ("chat", "chat"),
    "email": ("e-mail", "email"),
    "call": ("appel", "call"),
    "social": ("réseau social", "social network"),
}
CUE_KINDS = {
    "word": ("mot", "word"),
    "phrase": ("expression", "phrase"),
    "emoji": ("emoji", "emoji"),
    "emoticon": ("émoticône", "emoticon"),
    "punctuation": ("ponctuation", "punctuation"),
    "capitals": ("majuscules", "capitals"),
    "elongation": ("allongement", "elongation"),
    "negation": ("négation", "negation"),
    "intensifier": ("intensif", "intensifier"),
    "attenuator": ("atténuateur", "attenuator"),
    "contrast": ("contraste", "contrast"),
}
# Why the system refused to open, read or write a file, by its errno (``os_reason``).
OS_REASONS = {
    errno.ENOENT: ("fichier ou dossier introuvable", "no such file or directory"),
    errno.EACCES: ("permission refusée", "permission denied"),
    errno.EPERM: ("opération non permise", "operation not permitted"),
    errno.EISDIR: ("c'est un dossier", "it is a folder"),
    errno.ENOTDIR: ("un élément du chemin n'est pas un dossier", "a part of the path is not a folder"),
    errno.ENOSPC: ("plus de place sur le disque", "no space left on device"),
    errno.EROFS: ("système de fichiers en lecture seule", "read-only file system"),
    errno.EDQUOT: ("quota de disque dépassé", "disk quota exceeded"),
    errno.EEXIST: ("le fichier existe déjà", "file exists"),
    errno.ENAMETOOLONG: ("nom de fichier trop long", "file name too long"),
    errno.EFBIG: ("fichier plus grand que la limite permise", "file larger than the limit allowed"),
    errno.EMFILE: ("trop de fichiers ouverts", "too many open files"),
    errno.ELOOP: ("trop de liens symboliques", "too many levels of symbolic links"),
    errno.EPIPE: ("la sortie a été fermée (tube rompu)", "broken pipe"),
    errno.EBUSY: ("dossier occupé (un point de montage ?)", "folder busy (a mount point?)"),
}
MESSAGES = {
    "skipped": ("ligne {line} ignorée : {reason}", "line {line} skipped: {reason}"),
    "summary": (
        "{read} {read:enregistrement lu|enregistrements lus}, {written} {written:écrit|écrits}, "
        "{skipped} {skipped:ignoré|ignorés}",
        "{read} {read:record|records} read, {written} written, {skipped} skipped",
    ),
    "summary_truncated": (
        "{count} {count:texte tronqué|textes tronqués} : seuls les {limit} premiers caractères sont lus "
        "(analysis.truncated)",
        "{count} {count:text|texts} truncated: only the first {limit} characters are read "
        "(analysis.truncated)",
    ),
    "progress": ("Lecture des messages", "Reading messages"),
    "not_utf8": (
        "texte invalide (UTF-8 attendu) à l'octet {position}",
        "invalid text (UTF-8 expected) at byte {position}",
    ),
    "not_json": ("JSON invalide : {error}", "invalid JSON: {error}"),
    "json_lone_surrogate": (
        "JSON invalide : moitié de paire UTF-16 échappée seule (\\ud800-\\udfff), que l'UTF-8 ne peut écrire",
        "invalid JSON: unpaired surrogate escape (\\ud800-\\udfff), which UTF-8 cannot write",
    ),
    "not_json_value": (
        "JSON invalide : {constant} n'est pas une valeur JSON (null pour une valeur absente)",
        "invalid JSON: {constant} is not a JSON value (null for a missing value)",
    ),
    "scheduler_unreachable": (
        "planificateur Dask {address} injoignable : {error}",
        "Dask scheduler {address} cannot be reached: {error}",
    ),
    "os_error_output": (
        "écriture de la sortie impossible : {error}",
        "the output cannot be written: {error}",
    ),
    "os_error_file": ("{path} : {error}", "{path}: {error}"),
    "os_no_new_file": (
        "{folder} n'accepte ni nouveau fichier ni nouveau dossier",
        "{folder} accepts no new file or folder",
    ),
    "os_no_folder": ("le dossier {folder} n'existe pas", "folder {folder} does not exist"),
    # Why the system refused a file or a folder, for the usual reasons (os_reason); any other is the
    # system's own words.
    "same_file": (
        "{path} est aussi le fichier d'entrée : choisissez une autre sortie (elle effacerait l'entrée)",
        "{path} is also the input file: choose another output (it would erase the input)",
    ),
    "json_too_deep": ("JSON invalide : imbrication trop profonde", "invalid JSON: nested too deeply"),
    "json_too_large": (
        "JSON invalide : un nombre trop long pour être lu",
        "invalid JSON: a number too long to read",
    ),
    "not_object": ("un objet JSON est attendu", "a JSON object is expected"),
    "no_text": ("champ `text` absent ou vide", "no `text` field, or an empty one"),
    "no_text_field": ("champ `text` absent", "no `text` field"),
    "text_not_string": ("le champ `text` doit être une chaîne", "the `text` field must be a string"),
    "field_not_string": ("le champ `{field}` doit être une chaîne", "the `{field}` field must be a string"),
    "field_not_object": ("le champ `{field}` doit être un objet", "the `{field}` field must be an object"),
    "field_not_turn": (
        "le champ `{field}` doit être un numéro de tour (0, 1, 2…) ou null",
        "the `{field}` field must be a turn number (0, 1, 2…) or null",
    ),
    "field_not_list": (
        "le champ `{field}` doit être une liste de chaînes",
        "the `{field}` field must be a list of strings",
    ),
    "field_not_bool": (
        "le champ `{field}` doit valoir true ou false",
        "the `{field}` field must be true or false",
    ),
    "not_a_confidence": (
        "le champ `{field}` doit être un nombre de 0 à 1",
        "the `{field}` field must be a number from 0 to 1",
    ),
    "unknown_label": (
        "valeur {value} inconnue pour `{field}` (attendu : {allowed})",
        "unknown value {value} for `{field}` (expected: {allowed})",
    ),
    "no_agent": ("pas de texte `agent`", "no `agent` text"),
    "no_behaviours": ("pas de liste `behaviours`", "no `behaviours` list"),
    "file_unreadable": ("impossible de lire {path} : {error}", "cannot read {path}: {error}"),
    # ressenti evaluate
    "eval_no_file": (
        "aucun fichier à {path} (un fichier JSONL, ou un dossier de fichiers JSONL)",
        "no file at {path} (a JSONL file, or a folder of them)",
    ),
    "eval_no_jsonl": ("aucun fichier .jsonl dans le dossier {path}", "no .jsonl file in the folder {path}"),
    "eval_escalation": (
        "tour d'escalade : celui de l'annotation pour {same} {same:conversation|conversations} sur "
        "{labelled} ({same_turn} sur les {turns} où l'annotation nomme un tour)",
        "escalation turn: the labelled one for {same} of {labelled} {labelled:conversation|conversations} "
        "({same_turn} of the {turns} whose label names a turn)",
    ),
    "eval_no_rows": (
        "{name} n'a aucune ligne annotée pour la tâche {task}",
        "{name} has no row labelled for the {task} task",
    ),
    "eval_no_rows_lang": (
        "{name} n'a aucune ligne annotée pour la tâche {task} en {lang!r}",
        "{name} has no row labelled for the {task} task in {lang!r}",
    ),
    "eval_skipped": ("{file}, ligne {line} ignorée : {reason}", "{file}, line {line} skipped: {reason}"),
    "eval_skipped_summary": (
        "lignes ignorées : {count} (voir plus haut) ; les scores portent sur les autres",
        "lines skipped: {count} (see above); the scores are over the others",
    ),
    # what ressenti evaluate prints for a person (--json keeps its English keys)
    "eval_rows": ("{count} {count:ligne|lignes}", "{count} {count:row|rows}"),
    "eval_turns": (
        "{count} {count:tour de conseiller|tours de conseiller}",
        "{count} agent {count:turn|turns}",
    ),
    "eval_overall": (
        "F1 macro {macro_f1} · exactitude {accuracy}",
        "macro-F1 {macro_f1} · accuracy {accuracy}",
    ),
    "eval_class": ("classe", "class"),
    "eval_behaviour": ("comportement", "behaviour"),
    "eval_precision": ("précision", "precision"),
    "eval_recall": ("rappel", "recall"),
    "eval_f1": ("F1", "F1"),
    "eval_support": ("effectif", "support"),
    "eval_other": ("autre", "other"),  # the confusion matrix's column for predictions outside the labels
    "eval_confusion": (
        "confusion (lignes : annotation, colonnes : prédiction)",
        "confusion (rows: gold, columns: predicted)",
    ),
    "eval_no_turns": ("{name} n'a aucun tour de conseiller", "{name} has no agent turn"),
    "eval_no_turns_lang": (
        "{name} n'a aucun tour de conseiller en {lang!r}",
        "{name} has no agent turn in {lang!r}",
    ),
    # ressenti evaluate: a file not of the task's kind, and the rows not scored, each counted once
    "eval_wrong_kind": (
        "{name} ne convient pas à la tâche {task} : {count:sa première ligne n'est pas utilisable"
        "|aucune de ses {count} premières lignes n'est utilisable} (ligne {line} : {reason})",
        "{name} does not suit the {task} task: {count:its first row cannot be used"
        "|none of its first {count} rows can be used} (line {line}: {reason})",
    ),
    "eval_not_jsonl": (
        "{name} n'est pas un fichier JSON Lines (du texte, un objet JSON par ligne) : "
        "c'est un fichier {kind}",
        "{name} is not a JSON Lines file (text, one JSON object a line): it is a {kind} file",
    ),
    "eval_rows_skipped": (
        "{count} {count:ligne|lignes} ({skipped} {skipped:ignorée|ignorées})",
        "{count} {count:row|rows} ({skipped} skipped)",
    ),
    "eval_turns_skipped": (
        "{count} {count:tour de conseiller|tours de conseiller} "
        "({skipped} {skipped:ligne ignorée|lignes ignorées})",
        "{count} agent {count:turn|turns} ({skipped} {skipped:line|lines} skipped)",
    ),
    "eval_left_out": (
        "{count} {count:ligne|lignes} {what} {count:laissée|laissées} de côté",
        "{count} {count:row|rows} {what} left out",
    ),
    "eval_no_label_sentiment": ("sans étiquette de sentiment utilisable", "without a usable sentiment label"),
    "eval_no_label_emotion": (
        "sans émotion mesurable (anger, fear, sadness, joy, neutral)",
        "without an emotion that can be measured (anger, fear, sadness, joy, neutral)",
    ),
    "eval_no_label_complaint": (
        "sans étiquette de réclamation utilisable",
        "without a usable complaint label",
    ),
    "eval_no_label_motive": (
        "sans motif utilisable (`motive`, ou `reason` sûre à 0,7 au moins)",
        "without a usable motive (`motive`, or a `reason` given with confidence 0.7 or more)",
    ),
    "eval_no_label_arc": ("sans `labels.arc`", "without `labels.arc`"),
    # ressenti analyze and batch: inputs with nothing to read, ids read twice
    "analyze_empty_text": (
        "TEXTE est vide : il n'y a rien à lire",
        "TEXT is empty: there is nothing to read",
    ),
    "input_no_record": (
        "{path} ne contient aucun enregistrement (fichier vide, en-tête seul ou lignes vides) : "
        "rien à lire, la sortie n'est pas touchée",
        "{path} holds no record (an empty file, a header alone, or blank lines): nothing to read, "
        "the output is left as it was",
    ),
    "batch_input_none": (
        "{path} ne contient aucune conversation (fichier vide, en-tête seul ou lignes vides) : "
        "rien à lire, la sortie n'est pas touchée",
        "{path} holds no conversation (an empty file, a header alone, or blank lines): nothing to read, "
        "the output is left as it was",
    ),
    "stdin_name": ("l'entrée standard", "standard input"),
    "duplicate_id": (
        "ligne {line} : l'id {id!r} figure déjà ligne {first} ; les deux enregistrements sont lus",
        "line {line}: id {id!r} is already at line {first}; both records are read",
    ),
    "summary_duplicates": (
        "{count} {count:id en double|ids en double} (voir plus haut)",
        "{count} duplicate {count:id|ids} (see above)",
    ),
    "too_long": ("enregistrement de plus de {limit}", "record longer than {limit}"),
    "bad_lang": (
        "langue {lang!r} non prise en charge (fr, en)",
        "language {lang!r} is not supported (fr, en)",
    ),
    "csv_no_text": ("le fichier CSV n'a pas de colonne `text`", "the CSV file has no `text` column"),
    "csv_error": ("CSV invalide : {error}", "invalid CSV: {error}"),
    "csv_columns": (
        "{found} {found:colonne|colonnes} au lieu de {expected}",
        "{found} {found:column|columns} instead of {expected}",
    ),
    "csv_column_twice": (
        "l'en-tête du fichier CSV nomme deux fois la colonne {names} : renommez l'une des deux",
        "the CSV file's header names column {names} twice: rename one of them",
    ),
    "own_analysis_field": (
        "l'enregistrement a son propre champ `analysis`, où s'écrit la lecture : renommez-le pour le garder",
        "the record has an `analysis` field of its own, where the reading is written: rename it to keep it",
    ),
    "utf16_file": (
        "le fichier est en UTF-16 : enregistrez-le en UTF-8 (JSON Lines est toujours en UTF-8)",
        "the file is UTF-16: save it as UTF-8 (JSON Lines is always UTF-8)",
    ),
    "csv_quote_open": (
        "un guillemet ouvert sur cette ligne n'est jamais refermé (il courait jusqu'à la ligne {last}) : "
        "les lignes suivantes sont relues une à une",
        "a quote opened on this line is never closed (it ran to line {last}): "
        "the lines after it are read again",
    ),
    "csv_quotes": (
        "enregistrement des lignes de celle-ci à {last} dont les guillemets ne se referment pas où finit "
        'leur champ (un guillemet dans un champ se double : "")',
        "record of this line to line {last} whose quotes do not close where their field ends (a quote "
        'inside a field is doubled: "")',
    ),
    "csv_stray_quote": (
        "du texte suit le guillemet qui ferme le champ de la colonne `{column}` (il serait lu sans ses "
        'guillemets) : mettez tout le champ entre guillemets et doublez ceux qu\'il contient ("")',
        "text follows the quote that closes the field of column `{column}` (it would be read without its "
        'quotes): put the whole field in quotes and double the quotes inside it ("")',
    ),
    "csv_in_record": ("ligne {line} de l'enregistrement : {reason}", "line {line} of the record: {reason}"),
    "csv_cr_only": (
        "les lignes du fichier CSV finissent par CR seul (ancien format Mac) : enregistrez-le avec des fins "
        "de ligne LF ou CRLF",
        "the CSV file's lines end with CR alone (old Mac format): save it with LF or CRLF line endings",
    ),
    "csv_bad_header": (
        "ligne d'en-tête du fichier CSV illisible : {error}",
        "the CSV file's header line cannot be read: {error}",
    ),
    "usage_text_or_input": ("donnez un TEXTE ou --input FICHIER", "give a TEXT or --input FILE"),
    "usage_not_both": ("un TEXTE ou --input, pas les deux", "a TEXT or --input, not both"),
    "analyze_output_format": (
        "{path} : les lectures s'écrivent en JSONL ; nommez la sortie .jsonl (ou - pour la sortie standard)",
        "{path}: readings are written as JSONL; name the output .jsonl (or - for standard output)",
    ),
    "batch_output_format": (
        "{path} : les rapports s'écrivent en JSONL ou en Parquet ; nommez la sortie .jsonl ou .parquet, "
        "ou choisissez avec --output-format",
        "{path}: reports are written as JSONL or Parquet; name the output .jsonl or .parquet, "
        "or choose with --output-format",
    ),
    "unknown_format": (
        "format inconnu pour {path} : utilisez --format jsonl ou csv",
        "unknown format for {path}: use --format jsonl or csv",
    ),
    "not_a_count": (
        "{value} : il faut un nombre entier, 1 ou plus",
        "{value}: a whole number is needed, 1 or more",
    ),
    "skipped_row": ("ligne {line} ignorée : {reason}", "row {line} skipped: {reason}"),
    "skipped_message": ("message {line} ignoré : {reason}", "message {line} skipped: {reason}"),
    "noted": ("ligne {line} : {reason}", "line {line}: {reason}"),
    "noted_row": ("ligne {line} : {reason}", "row {line}: {reason}"),
    "noted_message": ("message {line} : {reason}", "message {line}: {reason}"),
    "ts_dropped": (
        "tour {turn} : `ts` {value} n'est pas une date ISO 8601 (comme 2026-01-01T10:00:00Z) ; le tour est "
        "lu sans",
        "turn {turn}: `ts` {value} is not an ISO 8601 date and time (such as 2026-01-01T10:00:00Z); the "
        "turn is read without it",
    ),
    "email_no_headers": (
        "pas un message e-mail : aucun en-tête (From, Date, Subject…)",
        "not an e-mail message: no headers (From, Date, Subject…)",
    ),
    "email_no_text": (
        "message sans texte (une fois retirés citations et signature)",
        "message without any text (once quotes and signature are removed)",
    ),
    "email_unreadable": ("message illisible : {error}", "unreadable message: {error}"),
    "email_bad_base64": ("corps base64 illisible", "invalid base64 body"),
    "email_duplicate": (
        "message en double (même Message-ID que le message {first})",
        "duplicate message (same Message-ID as message {first})",
    ),
    "why": ("Pourquoi", "Why"),
    "labelled": ("{label} : {value}", "{label}: {value}"),
    "quoted": ("« {text} »", "“{text}”"),
    "lang_mixed": ("mixte", "mixed"),
    "reasons_separator": (" ; ", "; "),
    "lang_unsupported": (
        "RESSENTI_LANG={value!r} : langue non prise en charge (fr, en), les messages sont en {used}",
        "RESSENTI_LANG={value!r}: language not supported (fr, en), messages are in {used}",
    ),
    "signals": ("Signaux", "Signals"),
    "emotions": ("Émotions", "Emotions"),
    "none": ("aucun", "none"),
    "sentiment": ("sentiment", "sentiment"),
    "valence": ("valence", "valence"),
    "intensity": ("intensité", "intensity"),
    "truncated": (
        "texte tronqué : seuls les {limit} premiers caractères sont lus",
        "text truncated: only the first {limit} characters are read",
    ),
    # conversations
    "conv_no_id": ("champ `id` absent ou vide", "no `id` field, or an empty one"),
    "conv_field_type": ("le champ `{field}` n'a pas le bon type", "the `{field}` field has the wrong type"),
    "conv_bad_channel": (
        "canal {channel!r} inconnu (attendu : {allowed})",
        "unknown channel {channel!r} (expected: {allowed})",
    ),
    "conv_no_turns": ("champ `turns` absent ou vide", "no `turns` field, or an empty one"),
    "conv_too_many_turns": (
        "{count} tours de parole, plus que la limite de {limit}",
        "{count} turns, more than the limit of {limit}",
    ),
    "conv_turn_not_object": (
        "tour {turn} : un objet JSON est attendu",
        "turn {turn}: a JSON object is expected",
    ),
    "conv_no_speaker": (
        "tour {turn} : locuteur absent (attendu : {allowed})",
        "turn {turn}: no speaker (expected: {allowed})",
    ),
    "conv_bad_speaker": (
        "tour {turn} : locuteur {speaker!r} inconnu (attendu : {allowed})",
        "turn {turn}: unknown speaker {speaker!r} (expected: {allowed})",
    ),
    "conv_turn_no_text": (
        "tour {turn} : champ `text` absent ou non textuel",
        "turn {turn}: no `text` field, or not a string",
    ),
    "conv_no_customer": ("aucun tour du client", "no customer turn"),
    "csv_no_conversation": (
        "le fichier CSV n'a pas les colonnes `conversation_id`, `speaker` et `text`",
        "the CSV file lacks the `conversation_id`, `speaker` and `text` columns",
    ),
    "sat_end": (
        "fin du contact : {emotion} (valence {valence})",
        "end of the contact: {emotion} (valence {valence})",
    ),
    "sat_recovered": ("la tension est retombée", "the tension came down"),
    "sat_deteriorated": ("le contact s'est dégradé", "the contact deteriorated"),
    "sat_open_threat": (
        "une menace (résiliation, escalade ou juridique) reste ouverte au dernier message",
        "a threat (to leave, to escalate or legal) is still open at the last message",
    ),
    "sat_so_far": (
        "dernier message du client : {emotion} (valence {valence})",
        "the customer's last message: {emotion} (valence {valence})",
    ),
    "sat_awaiting": (
        "la dernière réponse du conseiller attend encore son retour",
        "the agent's last reply still awaits their answer",
    ),
    "sat_1": ("très insatisfait", "very dissatisfied"),
    "sat_2": ("insatisfait", "dissatisfied"),
    "sat_3": ("neutre", "neutral"),
    "sat_4": ("satisfait", "satisfied"),
    "sat_5": ("très satisfait", "very satisfied"),
    "arc": (
        "{verdict} : {start} au départ, {end} à la fin{peak}.",
        "{verdict}: {start} at the start, {end} at the end{peak}.",
    ),
    "arc_so_far": (
        "{verdict} : {start} au départ, {end} au dernier message du client{peak}.",
        "{verdict}: {start} at the start, {end} at the customer's last message{peak}.",
    ),
    "arc_peak": (" (pic au tour {turn} : {emotion})", " (peak at turn {turn}: {emotion})"),
    "arc_recovered": ("Contact rétabli", "Recovered"),
    "arc_deteriorated": ("Contact dégradé", "Deteriorated"),
    "arc_unresolved": ("Tension non résolue", "Tension unresolved"),
    "arc_awaiting": (
        "Réponse du conseiller en attente du retour du client",
        "Agent's reply awaiting the customer's answer",
    ),
    "arc_eased": ("Tension retombée sans l'aide du conseiller", "Tension eased without the agent's help"),
    "arc_calm": ("Échange serein", "Calm exchange"),
    "parquet_bad": (
        "{path} n'est pas un fichier Parquet lisible : {error}",
        "{path} is not a readable Parquet file: {error}",
    ),
    "reports_column": (
        "{path} : il faut une colonne `report` (la sortie Parquet de `ressenti batch`)",
        "{path}: a `report` column is needed (the Parquet output of `ressenti batch`)",
    ),
    "not_a_report": (
        "ce n'est pas un rapport de conversation (pas de champ `trajectory`)",
        "not a conversation report (no `trajectory` field)",
    ),
    # What a conversation report must hold to be aggregated (reporting.check).
    "report_field_missing": ("champ `{field}` absent", "no `{field}` field"),
    "report_field_type": (
        "le champ `{field}` doit être {expected}",
        "the `{field}` field must be {expected}",
    ),
    "report_expects_object": ("un objet JSON", "a JSON object"),
    "report_expects_list": ("une liste", "a list"),
    "report_expects_text": ("une chaîne non vide", "a non-empty string"),
    "report_expects_text_or_null": ("une chaîne ou null", "a string or null"),
    "report_expects_bool": ("true ou false", "true or false"),
    "report_expects_one_of": ("l'un de : {allowed}", "one of: {allowed}"),
    "report_expects_count": (
        "un entier de 0 à {limit} (lu : {value})",
        "an integer from 0 to {limit} (read: {value})",
    ),
    "report_expects_number": (
        "un nombre de {low} à {high} (lu : {value})",
        "a number from {low} to {high} (read: {value})",
    ),
    "report_surrogate": (
        "le champ `{field}` contient une moitié de paire UTF-16 (\\ud800-\\udfff), "
        "que l'UTF-8 ne peut écrire",
        "the `{field}` field holds half of a UTF-16 pair (\\ud800-\\udfff), which UTF-8 cannot write",
    ),
    "report_at_line": ("à la ligne {line}", "at line {line}"),
    "report_at_row": ("à la ligne {line}", "at row {line}"),
    "report_duplicate": (
        "conversation {id!r} en double : déjà lue {first}, même rapport",
        "conversation {id!r} twice: already read {first}, same report",
    ),
    "report_conflict": (
        "conversation {id!r} en double : déjà lue {first}, avec un autre rapport (le premier est gardé)",
        "conversation {id!r} twice: already read {first}, with a different report (the first one is kept)",
    ),
    "report_input_summary": (
        "{aggregated} {aggregated:conversation agrégée|conversations agrégées}, "
        "{skipped} {skipped:rapport ignoré|rapports ignorés} (dont {duplicates} en double)",
        "{aggregated} {aggregated:conversation|conversations} aggregated, {skipped} {skipped:report|reports} "
        "skipped ({duplicates} of them {duplicates:a duplicate|duplicates})",
    ),
    "report_input_none": (
        "aucun rapport de conversation lisible dans {path} : rien n'est écrit",
        "no readable conversation report in {path}: nothing written",
    ),
    "report_not_written": (
        "rapport non écrit dans {path} : {error} ; rien n'y est changé",
        "report not written to {path}: {error}; nothing there is changed",
    ),
    "report_no_room_beside": (
        "rapport non écrit : pas de dossier provisoire possible dans {parent} ({error}) ; le rapport y est"
        " préparé avant de remplacer {path}",
        "report not written: no temporary folder can be made in {parent} ({error}); the report is"
        " prepared there before it replaces {path}",
    ),
    "report_folder_not_ours": (
        "{path} contient autre chose qu'un rapport de Ressenti ({names}) : rien n'est écrit, car ce dossier"
        " serait remplacé en entier ; choisissez un dossier nouveau ou vide",
        "{path} holds more than a Ressenti report ({names}): nothing written, since the folder would be"
        " replaced as a whole; choose a new or empty folder",
    ),
    "parquet_columns": (
        "{path} : il faut une colonne `turns`, ou les colonnes `conversation_id`, `speaker` et `text`",
        "{path}: a `turns` column is needed, or the `conversation_id`, `speaker` and `text` columns",
    ),
    "resume_not_reports": (
        "impossible de reprendre : {path} n'est pas un fichier Parquet de rapports de Ressenti",
        "cannot resume: {path} is not a Parquet file of Ressenti reports",
    ),
    "resume_unreadable": (
        "impossible de reprendre : la dernière ligne de {path} n'est pas un rapport de Ressenti",
        "cannot resume: the last line of {path} is not a Ressenti report",
    ),
    "agent": ("conseiller", "agent"),
    "team": ("équipe", "team"),
    "satisfaction": ("Satisfaction estimée", "Estimated satisfaction"),
    "curve": ("Courbe du client", "Customer's curve"),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    "level_emotional": ("niveau émotionnel", "emotional level"),
    "level_rational": ("niveau rationnel", "rational level"),
    "speaker_customer": ("client", "customer"),
    "speaker_agent": ("conseiller", "agent"),
    "speaker_bot": ("bot", "bot"),
    "ei_moments": ("Moments d'intelligence émotionnelle", "Emotional-intelligence moments"),
    "improvements": ("À améliorer", "To improve"),
    "motives": ("Motifs", "Motives"),
    "dask_failed": (
        "le calcul sur Dask a échoué ({error}) : ce qui est écrit est gardé ; relancez avec --resume "
        "pour continuer",
        "the Dask run failed ({error}): what is written is kept; run again with --resume to go on",
    ),
    "interrupted": ("Interrompu.", "Interrupted."),
    "output_needs_input": (
        "--output va avec --input FICHIER ; la lecture d'un TEXTE s'affiche",
        "--output goes with --input FILE; the reading of a TEXT is shown",
    ),
    "batch_output_dash": (
        "--output doit nommer un fichier (.jsonl ou .parquet) : les rapports se reprennent (--resume), "
        "la sortie standard non",
        "--output must name a file (.jsonl or .parquet): reports can be resumed (--resume), standard "
        "output cannot",
    ),
    "scheduler_needs_dask": (
        "--scheduler va avec --engine dask",
        "--scheduler goes with --engine dask",
    ),
    "resume_other_input": (
        "{path} n'a pas été écrit depuis cette entrée : sa dernière conversation, position {position}, est "
        "{written!r}, l'entrée y a {found}. Reprise refusée (elle doublerait et perdrait des rapports) : "
        "relancez sans --resume, ou avec l'entrée de la première exécution",
        "{path} was not written from this input: its last conversation, position {position}, is {written!r}, "
        "where the input has {found}. Resume refused (it would double and lose reports): run again "
        "without --resume, or with the first run's input",
    ),
    "resume_nothing_there": (
        "aucune conversation lisible",
        "no readable conversation",
    ),
    "conv_turns_not_list": (
        "le champ `turns` doit être une liste de tours (speaker, text)",
        "the `turns` field must be a list of turns (speaker, text)",
    ),
    "conv_duplicate": (
        "la conversation {id!r} figure déjà plus haut ({first}) : elle compterait deux fois",
        "conversation {id!r} is already above ({first}): it would count twice",
    ),
    "at_line": ("ligne {n}", "line {n}"),
    "at_row": ("ligne {n}", "row {n}"),
    "at_message": ("message {n}", "message {n}"),
    "conv_not_found": ("aucune conversation {id!r} dans {path}", "no conversation {id!r} in {path}"),
    "conv_not_found_skipped": (
        "aucune conversation lisible {id!r} dans {path} ; {skipped} "
        "{skipped:enregistrement illisible a été ignoré (ci-dessus) : ce peut être elle"
        "|enregistrements illisibles ont été ignorés (les premiers ci-dessus) : elle peut en faire partie}",
        "no readable conversation {id!r} in {path}; {skipped} "
        "{skipped:record that could not be read was skipped (above): it may be that one"
        "|records that could not be read were skipped (the first ones above): it may be one of them}",
    ),
    "conv_none": ("aucune conversation lisible dans {path}", "no readable conversation in {path}"),
    "batch_progress": ("Lecture des conversations", "Reading conversations"),
    "batch_summary": (
        "{written} {written:conversation écrite|conversations écrites}, "
        "{skipped} {skipped:ignorée|ignorées}, {done} {done:déjà faite|déjà faites} (reprise)",
        "{written} {written:conversation|conversations} written, {skipped} skipped, {done} already done "
        "(resumed)",
    ),
    "conv_unknown_format": (
        "format de {path} inconnu : utilisez --format jsonl, csv, parquet ou email",
        "unknown format for {path}: use --format jsonl, csv, parquet or email",
    ),
    "csv_bad_turn": (
        "un tour de la conversation est illisible, ligne {line} : {reason}",
        "a turn of the conversation cannot be read, line {line}: {reason}",
    ),
    "csv_not_grouped": (
        "les tours de la conversation {id!r} ne se suivent pas (déjà vue plus haut, {first}) : "
        "triez le fichier",
        "the turns of conversation {id!r} are not consecutive (seen earlier, {first}): sort the file",
    ),
    # The report on many conversations (ressenti.reporting).
    "report_title": ("Ressenti : rapport des conversations", "Ressenti: conversation report"),
    "report_lawful": (
        "Ce rapport décrit ce que les conseillers écrivent (leurs comportements de langage) et ce que les "
        "clients expriment. Les émotions des conseillers ne sont jamais déduites.",
        "This report describes what agents write (their language behaviours) and what customers "
        "express. Agents' emotions are never inferred.",
    ),
    "report_summary": (
        "{conversations} {conversations:conversation|conversations}, "
        "{agent_turns} {agent_turns:tour|tours} de conseiller, {teams} {teams:équipe|équipes}, "
        "{agents} {agents:conseiller|conseillers}",
        "{conversations} {conversations:conversation|conversations}, "
        "{agent_turns} {agent_turns:agent turn|agent turns}, {teams} {teams:team|teams}, "
        "{agents} {agents:agent|agents}",
    ),
    "report_none": ("(aucun)", "(none)"),
    "report_no_data": ("Aucune donnée", "No data"),
    "report_overall": ("Ensemble", "Overall"),
    "report_team": ("Équipe", "Team"),
    "report_teams": ("Équipes", "Teams"),
    "report_agent": ("Conseiller", "Agent"),
    "report_agents": ("Conseillers", "Agents"),
    "report_conversations": ("Conversations", "Conversations"),
    "report_agent_turns": ("Tours de conseiller", "Agent turns"),
    "report_both_levels": ("Deux niveaux (émotionnel et rationnel)", "Both levels (emotional and rational)"),
    "report_tense": ("Conversations tendues", "Tense conversations"),
    "live_invalid_json": (
        "trame illisible : un objet JSON est attendu, avec son action (subscribe, unsubscribe ou ping)",
        "unreadable frame: a JSON object is expected, with its action (subscribe, unsubscribe or ping)",
    ),
    "live_unknown_action": (
        "action inconnue : subscribe, unsubscribe ou ping",
        "unknown action: subscribe, unsubscribe or ping",
    ),
    "live_forbidden": (
        "cette conversation ou cette équipe n'existe pas, ou vous ne pouvez pas la suivre",
        "no such conversation or team, or you may not follow it",
    ),
    "report_awaiting": ("Tendues, en attente du client", "Tense, awaiting the customer"),
    "report_recovery_rate": ("Taux de rétablissement", "Recovery rate"),
    "report_deterioration_rate": ("Taux de dégradation", "Deterioration rate"),
    "report_mean_satisfaction": ("Satisfaction estimée moyenne (1-5)", "Mean estimated satisfaction (1-5)"),
    "report_behaviour": ("Comportement", "Behaviour"),
    "report_behaviours_by_team": ("Comportements par équipe", "Behaviours by team"),
    "report_behaviours_by_agent": ("Comportements par conseiller", "Behaviours by agent"),
    "report_behaviour_cell": (
        "part des conversations / pour 100 tours de conseiller",
        "share of conversations / per 100 agent turns",
    ),
    "report_motives": ("Motifs de réclamation", "Complaint motives"),
    "report_customer_emotions": ("Émotions des clients", "Customers' emotions"),
    "report_improvements": ("Moments à améliorer", "Moments to improve"),
    "report_signals": ("Signaux levés", "Signals raised"),
    "report_charts": ("Graphiques", "Charts"),
    "report_share_axis": ("Part des conversations (%)", "Share of conversations (%)"),
    "report_rate_axis": ("Taux (%)", "Rate (%)"),
    "report_count_axis": ("Nombre de conversations", "Number of conversations"),
    "report_turn_share_axis": ("Part des tours clients (%)", "Share of customer turns (%)"),
    "chart_behaviours_teams": (
        "Comportements des conseillers par équipe (part des conversations)",
        "Agents' behaviours by team (share of conversations)",
    ),
    "chart_behaviours_agents": (
        "Comportements par conseiller (part des conversations), page {page}/{pages}",
        "Behaviours by agent (share of conversations), page {page}/{pages}",
    ),
    "chart_recovery": (
        "Rétablissement des conversations tendues et dégradation, par équipe",
        "Recovery of tense conversations and deterioration, by team",
    ),
    "chart_motives": ("Motifs de réclamation par équipe", "Complaint motives by team"),
    "chart_emotions": ("Émotions des clients par équipe", "Customers' emotions by team"),
    # The service (ressenti serve, demo, db, org).
    "db_upgraded": ("Base de données à jour ({revision}) : {url}", "Database up to date ({revision}): {url}"),
    "db_agrees": (
        "Les modèles et les migrations concordent.",
        "The models and the migrations agree.",
    ),
    "db_differs": (
        "Les modèles et les migrations diffèrent ({count}) : ajoutez une migration.",
        "The models and the migrations differ ({count}): add a migration.",
    ),
    "db_not_ready": (
        "La base {url} n'est pas à jour : lancez d'abord `ressenti db upgrade`.",
        "The database {url} is not up to date: run `ressenti db upgrade` first.",
    ),
    "db_unreachable": (
        "Base de données injoignable ({url}) : {error}",
        "Database unreachable ({url}): {error}",
    ),
    "demo_exists": (
        "L'organisation de démonstration existe déjà (--reset pour la recréer).",
        "The demo organisation already exists (--reset to create it again).",
    ),
    "demo_progress": ("Conversations de démonstration", "Demo conversations"),
    "demo_done": (
        "Organisation « {slug} » : {conversations} conversations, {messages} messages, {alerts} alertes.",
        "Organisation '{slug}': {conversations} conversations, {messages} messages, {alerts} alerts.",
    ),
    "demo_logins": (
        "Connexion sur {url}/login — organisation {slug}, mot de passe {password} :",
        "Log in at {url}/login — organisation {slug}, password {password}:",
    ),
    "serve_starting": (
        "Ressenti sur {url} (base : {db} ; événements en direct : {live})",
        "Ressenti on {url} (database: {db}; live events: {live})",
    ),
    "live_local": ("dans le processus", "in-process"),
    "serve_needs_redis": (
        "--workers au-delà de 1 demande RESSENTI_REDIS_URL (les processus partagent par Redis les "
        "événements en direct)",
        "--workers above 1 needs RESSENTI_REDIS_URL (the processes share live events through Redis)",
    ),
    "password_prompt": ("Mot de passe", "Password"),
    "prompt_suffix": (" : ", ": "),
    "role_agent": ("conseiller", "agent"),
    "role_supervisor": ("superviseur", "supervisor"),
    "role_trainer": ("formateur", "trainer"),
    "role_admin": ("administrateur", "admin"),
    # What the service refuses before any route reads it (web.middleware)
    "body_too_large": ("le corps de la requête dépasse {limit}", "the body is over {limit}"),
    "body_not_json": ("JSON invalide, ligne {line} : {reason}", "invalid JSON, line {line}: {reason}"),
    # The service's refusals (``ServiceError``): the API answers in the language the request asks for
    "api_not_logged_in": (
        "non connecté : envoyez Authorization: Bearer <jeton>",
        "not logged in: send Authorization: Bearer <token>",
    ),
    "api_session_expired": (
        "non connecté, ou la session a expiré",
        "not logged in, or the session has expired",
    ),
    "api_wrong_login": (
        "organisation, e-mail ou mot de passe incorrect",
        "wrong organisation, e-mail or password",
    ),
    "api_bad_key": ("clé d'API inconnue ou révoquée", "unknown or revoked API key"),
    "api_ticket_for_people": (
        "les tickets du direct sont pour les personnes ; les intégrations lisent l'API REST",
        "live tickets are for people; integrations read the REST API",
    ),
    "api_bad_ticket": ("ticket inconnu, déjà utilisé ou expiré", "unknown, used or expired ticket"),
    "api_bad_slug": (
        "l'identifiant d'une organisation fait 2 à 63 lettres minuscules, chiffres ou tirets",
        "an organisation's slug is 2 to 63 lower-case letters, digits or dashes",
    ),
    "api_organisation_exists": (
        "l'organisation {slug!r} existe déjà",
        "organisation {slug!r} already exists",
    ),
    "api_team_exists": ("l'équipe {name!r} existe déjà", "team {name!r} already exists"),
    "api_no_team": ("pas d'équipe {teams}", "no such team: {teams}"),
    "api_blank": ("{field} ne doit pas être vide", "{field} must not be blank"),
    "api_bad_locale": ("la langue doit être fr ou en", "locale must be fr or en"),
    "api_user_exists": (
        "un utilisateur d'e-mail {email} existe déjà",
        "a user with the e-mail {email} already exists",
    ),
    "api_webhook_source_exists": (
        "la source de webhooks {source!r} existe déjà",
        "webhook source {source!r} already exists",
    ),
    "api_user_not_found": ("utilisateur {id} introuvable", "user {id} not found"),
    "api_key_not_found": ("clé d'API {id} introuvable", "API key {id} not found"),
    "api_deactivate_self": (
        "vous ne pouvez pas désactiver votre propre compte : un autre administrateur le peut",
        "you cannot deactivate your own account: another admin can",
    ),
    "api_conversation_not_found": ("conversation {id} introuvable", "conversation {id} not found"),
    "api_role_needed": (
        "il faut le rôle {roles} ; vous êtes {role}",
        "this needs the role {roles}; you are {role}",
    ),
    "api_people_only": (
        "ceci est pour les personnes, pas pour les clés d'API",
        "this is for people, not API keys",
    ),
    "api_trainer_writes": (
        "les formateurs lisent les conversations ; ils n'y écrivent pas",
        "trainers read conversations; they do not write into them",
    ),
    "api_no_webhook_source": (
        "pas de source de webhooks {source!r} pour cette organisation",
        "no webhook source {source!r} for this organisation",
    ),
    "api_bad_timestamp": (
        "X-Ressenti-Timestamp doit être en secondes Unix",
        "X-Ressenti-Timestamp must be Unix seconds",
    ),
    "api_stale_timestamp": (
        "l'horodatage de l'envoi est à plus de 5 minutes de l'horloge du serveur",
        "the delivery's timestamp is more than 5 minutes away from the server's clock",
    ),
    "api_bad_signature": ("signature invalide", "bad signature"),
    "api_no_external_conversation": ("pas de conversation {id!r}", "no conversation {id!r}"),
    "api_webhook_other_customer": (
        "la conversation {id!r} de la source {source!r} est celle d'un autre client, pas de {customer!r} :"
        " l'événement n'est pas enregistré",
        "conversation {id!r} of source {source!r} belongs to another customer, not {customer!r}:"
        " the event was not stored",
    ),
    "api_webhook_other_team": (
        "la conversation {id!r} de la source {source!r} est dans l'équipe {team}, pas dans l'équipe"
        " {given} : l'événement n'est pas enregistré",
        "conversation {id!r} of source {source!r} is in team {team}, not team {given}:"
        " the event was not stored",
    ),
    "api_event_needs_message": (
        "un événement « message » demande un message",
        "a message event needs a message",
    ),
    "api_new_conversation": (
        "la conversation est nouvelle : donnez son channel, son team_id et son customer",
        "the conversation is new: give its channel, team_id and customer",
    ),
    "api_bad_lang": ("la langue doit être fr ou en", "lang must be fr or en"),
    "api_trainer_opens": (
        "les formateurs lisent les conversations ; ils n'en ouvrent pas",
        "trainers read conversations; they do not open them",
    ),
    "api_other_team": (
        "vous ouvrez des conversations dans vos propres équipes seulement, pas dans l'équipe {team}",
        "you may open conversations in your own teams only, not team {team}",
    ),
    "api_not_an_agent": ("l'utilisateur {id} n'est pas conseiller", "user {id} is not an agent"),
    "api_agent_other_team": (
        "le conseiller {id} n'est pas membre de l'équipe {team}",
        "agent {id} is not a member of team {team}",
    ),
    "api_external_id_exists": (
        "une conversation d'external_id {external_id!r} existe déjà",
        "a conversation with external_id {external_id!r} already exists",
    ),
    "api_bad_author": ("l'auteur doit être customer ou agent", "author must be customer or agent"),
    "api_empty_message": ("un message doit avoir un texte", "a message needs some text"),
    "api_message_too_long": (
        "un message compte au plus {limit} caractères ; celui-ci en a {count}",
        "a message holds at most {limit} characters; this one has {count}",
    ),
    "api_conversation_closed": ("la conversation {id} est close", "conversation {id} is closed"),
    "api_no_message_yet": (
        "la conversation {id} n'a pas encore de message",
        "conversation {id} has no message yet",
    ),
    "api_alert_not_found": ("alerte {id} introuvable", "alert {id} not found"),
    "api_acknowledge_who": (
        "seuls le conseiller de la conversation et ses superviseurs prennent en compte ses alertes",
        "only the conversation's agent or its supervisors acknowledge its alerts",
    ),
    "api_whisper_who": (
        "seul un superviseur de l'équipe de la conversation écrit une note à son conseiller",
        "only a supervisor of the conversation's team whispers to its agent",
    ),
    "api_whisper_no_agent": (
        "la conversation {id} n'a pas encore de conseiller : personne à qui écrire",
        "conversation {id} has no agent yet: nobody to whisper to",
    ),
    "api_whisper_closed": (
        "la conversation {id} est close : la note arriverait trop tard",
        "conversation {id} is closed: the note would come too late",
    ),
    "api_note_length": (
        "une note compte de 1 à {limit} caractères",
        "a note holds 1 to {limit} characters",
    ),
    "api_reading_not_found": ("lecture {id} introuvable", "reading {id} not found"),
    "api_sent_at_future": (
        "sent_at est dans le futur (plus de {hours} h d'avance sur notre horloge)",
        "sent_at is in the future (more than {hours} h ahead of our clock)",
    ),
    "api_no_route": ("introuvable", "Not Found"),
    "api_no_method": ("méthode non permise pour cette adresse", "Method Not Allowed"),
    "api_bad_value": ("{field} doit valoir l'un de : {allowed}", "{field} must be one of {allowed}"),
    "api_customer_not_found": ("client {id} introuvable", "customer {id} not found"),
    "org_created": (
        "Organisation « {slug} » créée ; administrateur {email}.",
        "Organisation '{slug}' created; administrator {email}.",
    ),
}


def user_language() -> str:
    """``fr`` or ``en``, from the environment."""
    explicit = os.environ.get("RESSENTI_LANG", "").lower()[:2]
    if explicit in ("fr", "en"):
        return explicit
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "fr" if value.lower().startswith("fr") else "en"
    return "fr"


def accepted_language(header: str | None) -> str | None:
    """``fr`` or ``en``, whichever an HTTP ``Accept-Language`` header prefers (its highest ``q``, then its
    order: "fr-FR,fr;q=0.9,en;q=0.8" is French); None when it names neither."""
    best: tuple[float, int, str] | None = None
    for order, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        code = tag.strip().lower()[:2]
        if code not in ("fr", "en") or tag.strip()[2:3] not in ("", "-", "_"):
            continue
        weight = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        if weight > 0 and (best is None or (-weight, order) < (-best[0], best[1])):
            best = (weight, order, code)
    return None if best is None else best[2]


def language_warning() -> str | None:
    """One line for stderr when ``RESSENTI_LANG`` names a language Ressenti does not speak (``de``): that
    it is passed over, and which language the messages are in instead (the locale's, else French). In
    English and in French, since the user chose neither. None when there is nothing to say."""
    value = os.environ.get("RESSENTI_LANG", "")
    if not value.strip() or value.lower()[:2] in ("fr", "en"):
        return None
    used = LANGUAGE_NAMES[user_language()]
    english = message("lang_unsupported", "en", value=value, used=used[1])
    french = message("lang_unsupported", "fr", value=value, used=used[0])
    return f"{english} / {french}"


class Both(NamedTuple):
    """A value said otherwise in each language (a role's name), for ``both`` to put in each message."""

    fr: str
    en: str


# The roles of the service, named as the pages name them.
ROLE_NAMES = {
    "agent": ("conseiller", "agent"),
    "supervisor": ("superviseur", "supervisor"),
    "trainer": ("formateur", "trainer"),
    "admin": ("administrateur", "administrator"),
    "integration": ("intégration", "integration"),
}


def roles_said(*roles: str) -> Both:
    """Roles named in both languages, « administrateur / superviseur » and "administrator/supervisor"."""
    named = [ROLE_NAMES.get(role, (role, role)) for role in roles]
    return Both(" / ".join(fr for fr, _ in named), "/".join(en for _, en in named))


def both(key: str, /, **values: object) -> tuple[str, str]:
    """A message in French and in English, for whoever reads it later in either (an API refusal); a
    ``Both`` value gives each language its own words."""

    def said(lang: str) -> str:
        return message(
            key, lang, **{k: getattr(v, lang) if isinstance(v, Both) else v for k, v in values.items()}
        )

    return said("fr"), said("en")


def _pick(pair: tuple[str, str], lang: str | None) -> str:
    return pair[0] if (lang or user_language()) == "fr" else pair[1]


def decimal(value: float, lang: str | None = None, *, signed: bool = False, places: int = 2) -> str:
    """A score as its reader writes it: « -0,78 » in French, "-0.78" in English."""
    text = f"{value:+.{places}f}" if signed else f"{value:.{places}f}"
    return _pick((text.replace(".", ","), text), lang)


def size(count: int, lang: str | None = None) -> str:
    """A size in bytes as a person reads it: « 64 Mio », "1 MiB", « 300 octets »."""
    for unit, names in ((2**30, ("Gio", "GiB")), (2**20, ("Mio", "MiB")), (2**10, ("Kio", "KiB"))):
        if count >= unit and count % unit == 0:
            return f"{count // unit} {_pick(names, lang)}"
    return f"{count} {_pick(('octets', 'bytes'), lang)}"


def singular(count: int, lang: str) -> bool:
    """Whether ``count`` takes the singular: 0 and 1 in French ("0 ligne ignorée"), 1 in English."""
    return abs(count) < 2 if lang == "fr" else abs(count) == 1


class _Formatter(string.Formatter):
    """``str.format``, and ``{count:singular|plural}``: the form of a word that agrees with ``count``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" not in format_spec:
            return str(super().format_field(value, format_spec))
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{format_spec!r} agrees with a count, not with {value!r}")
        one, many = format_spec.split("|")
        return one if singular(value, self.lang) else many


_FORMATTERS = {"fr": _Formatter("fr"), "en": _Formatter("en")}


def message(key: str, lang: str | None = None, /, **values: object) -> str:
    """A message for people, in their language (``lang``, positional), with its values filled in.

    ``lang`` is positional-only so that a value named ``lang`` (as in ``bad_lang``) fills the message.
    """
    chosen = lang or user_language()
    return _fill(_pick(MESSAGES[key], chosen), chosen, values)


def _fill(template: str, lang: str, values: Mapping[str, object]) -> str:
    """``template`` with ``values``, its counted words agreeing with their counts in ``lang``."""
    return _FORMATTERS["fr" if lang == "fr" else "en"].vformat(template, (), values)


# What reading one line of JSON Lines can raise: bad UTF-8 and bad JSON (both ValueError), a number too
# long to convert (ValueError), nesting deeper than the parser's recursion allows (RecursionError).
UNREADABLE_ERRORS = (ValueError, RecursionError)


def unreadable_line(error: ValueError | RecursionError, lang: str | None = None) -> str:
    """Why one line of a JSON Lines file cannot be read: the byte that is not UTF-8, or the JSON
    parser's reason with the column it stopped at (its own "line 1" would read as the file's line),
    or a number or a nesting too large to read."""
    if isinstance(error, LineTooLongError):
        return message("too_long", lang, limit=size(error.limit, lang))
    if isinstance(error, UnicodeDecodeError):
        return message("not_utf8", lang, position=error.start)
    if isinstance(error, NotJsonError):
        return message("not_json_value", lang, constant=error.constant)
    if isinstance(error, json.JSONDecodeError):
        return message("not_json", lang, error=json_reason(error, lang))
    if isinstance(error, RecursionError):
        return message("json_too_deep", lang)
    return message("json_too_large", lang)


# Why Python's json module stops, in French: its C parser's words, then its pure-Python ones (which name
# the character). ``{col}`` is the column it stopped at; ``{0}`` what the pure-Python parser names.
_JSON_REASONS_FR = (
    (re.compile(r"Expecting value"), "valeur attendue (col {col})"),
    (re.compile(r"Extra data"), "texte en trop après la valeur JSON (col {col})"),
    (
        re.compile(r"Invalid control character at"),
        "caractère de contrôle non échappé dans une chaîne (col {col})",
    ),
    (
        re.compile(r"Invalid control character (.+) at"),
        "caractère de contrôle {0} non échappé dans une chaîne (col {col})",
    ),
    (
        re.compile(r"Expecting property name enclosed in double quotes"),
        "nom de propriété entre guillemets doubles attendu (col {col})",
    ),
    (re.compile(r"Unterminated string starting at"), "chaîne ouverte (col {col}) et jamais refermée"),
    (re.compile(r"Expecting ',' delimiter"), "virgule attendue (col {col})"),
    (re.compile(r"Expecting ':' delimiter"), "deux-points attendu (col {col})"),
    (re.compile(r"Invalid \\escape"), "séquence d'échappement invalide (col {col})"),
    (re.compile(r"Invalid \\escape: (.+)"), "séquence d'échappement invalide : {0} (col {col})"),
    (re.compile(r"Invalid \\uXXXX escape"), "séquence \\uXXXX invalide (col {col})"),
    (
        re.compile(r"Illegal trailing comma before end of object"),
        "virgule en trop avant la fin de l'objet (col {col})",
    ),
    (
        re.compile(r"Illegal trailing comma before end of array"),
        "virgule en trop avant la fin du tableau (col {col})",
    ),
    (
        re.compile(r"Unexpected UTF-8 BOM \(decode using utf-8-sig\)"),
        "marque d'ordre des octets (BOM) UTF-8 inattendue (col {col})",
    ),
)


def json_reason(error: json.JSONDecodeError, lang: str | None = None, *, lines: bool = False) -> str:
    """Why the JSON parser stopped, with the column (its own "line 1" would read as the file's line): in
    French when the reason is one of Python's usual ones, else as Python says it.

    The column counts from the start of the text, past the end of the line given its line ending: the
    parser's own column restarts after that line ending ("line 2 column 1"). With ``lines`` (a text of
    several lines, an API body), it is the parser's column in its line, which the caller names."""
    column = error.colno if lines else min(error.pos, len(error.doc.rstrip("\r\n"))) + 1
    if (lang or user_language()) == "fr":
        for pattern, french in _JSON_REASONS_FR:
            found = pattern.fullmatch(error.msg)
            if found:
                return french.format(*found.groups(), col=column)
    return f"{error.msg} (col {column})"


# Why a request body was refused, in French, by the validator's (pydantic's) error type; ``{...}`` are the
# values it gives with the error. A type not here is said in the validator's own English words.
_VALIDATION_FR = {
    "missing": "champ obligatoire",
    "extra_forbidden": "champ inconnu",
    "string_type": "un texte est attendu",
    "string_too_short": "au moins {min_length} caractère(s) attendu(s)",
    "string_too_long": "au plus {max_length} caractères",
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu",
    "float_type": "un nombre est attendu",
    "float_parsing": "un nombre est attendu",
    "bool_type": "un booléen est attendu (true ou false)",
    "bool_parsing": "un booléen est attendu (true ou false)",
    "literal_error": "valeur attendue : {expected}",
    "enum": "valeur attendue : {expected}",
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "too_short": "au moins {min_length} élément(s) attendu(s)",
    "too_long": "au plus {max_length} éléments",
    "list_type": "une liste est attendue",
    "dict_type": "un objet est attendu",
    "model_type": "un objet est attendu",
    "model_attributes_type": "un objet est attendu",
    "json_invalid": "JSON invalide",
    "datetime_parsing": "une date ISO 8601 est attendue",
    "datetime_type": "une date ISO 8601 est attendue",
    "datetime_from_date_parsing": "une date ISO 8601 est attendue",
    "date_parsing": "une date ISO 8601 est attendue",
    "date_from_datetime_parsing": "une date ISO 8601 est attendue",
    "timezone_aware": "une date avec son fuseau horaire est attendue (Z ou +01:00)",
    "datetime_future": "la date doit être dans le futur",
    "datetime_past": "la date doit être dans le passé",
    "string_pattern_mismatch": "forme inattendue (motif attendu : {pattern})",
    "string_unicode": "texte Unicode invalide",
    "int_parsing_size": "nombre entier trop grand",
}


def validation_reason(kind: str, said: str, values: Mapping[str, object] | None, lang: str) -> str:
    """Why the validator refused a value (its error type ``kind``, its English words ``said``), in
    ``lang``: French when the type is a usual one, else the validator's words. The French and English
    ``literal_error`` list the allowed values as the validator quotes them ("'x' or 'y'")."""
    french = _VALIDATION_FR.get(kind)
    if lang != "fr" or french is None:
        return said
    expected = str((values or {}).get("expected", "")).replace("' or '", "' ou '")
    try:
        return french.format_map({**(values or {}), "expected": expected})
    except (KeyError, IndexError, ValueError):  # a value the validator did not give this time
        return said


def os_reason(error: OSError, lang: str | None = None) -> str:
    """Why the system refused a file (``error``), in the user's language when its errno is a usual one,
    else in the system's words."""
    pair = OS_REASONS.get(error.errno or 0)
    if pair is not None:
        return _pick(pair, lang)
    return error.strerror or str(error)


def output_reason(error: OSError, lang: str | None = None) -> str:
    """Why the system refused to make an output (a file or a folder), for a person: ``os_reason``, but
    its "no such file or directory" told apart, since the output is not meant to be there yet: the
    folder it goes in is missing (named), or is there and makes nothing new (/proc answers so)."""
    name = error.filename
    if error.errno != errno.ENOENT or not isinstance(name, str) or Path(name).is_symlink():
        return os_reason(error, lang)
    folder = Path(name).parent
    if folder.is_dir():
        return message("os_no_new_file", lang, folder=folder)
    while folder.parent != folder and not folder.parent.is_dir():
        folder = folder.parent  # the first folder of the path that is missing
    return message("os_no_folder", lang, folder=folder)


# What pyarrow says of a damaged Parquet file, by a phrase of its own (English) reason.
PARQUET_REASONS = {
    "magic bytes not found": (
        "fichier tronqué, ou pas au format Parquet",
        "cut short, or not a Parquet file",
    ),
    "deserialize thrift": ("métadonnées illisibles (fichier abîmé)", "unreadable metadata (damaged file)"),
    "unexpected end of stream": ("fichier tronqué", "cut short"),
    "file size": ("fichier tronqué", "cut short"),
}


def parquet_reason(error: Exception, lang: str | None = None) -> str:
    """Why pyarrow could not read a Parquet file, in the user's language when it is a usual reason
    (a file cut short, not Parquet at all), else in pyarrow's words."""
    if isinstance(error, OSError) and error.errno:
        return os_reason(error, lang)
    said = str(error)
    for phrase, pair in PARQUET_REASONS.items():
        if phrase in said.lower():
            return _pick(pair, lang)
    return said


def emotion_name(label: str, lang: str | None = None) -> str:
    return _pick(EMOTION_NAMES[label], lang)


def sentiment_name(label: str, lang: str | None = None) -> str:
    return _pick(SENTIMENT_NAMES[label], lang)


def signal_name(label: str, lang: str | None = None) -> str:
    return _pick(SIGNAL_NAMES[label], lang)


def cue_note_name(note: str, lang: str | None = None) -> str:
    """What a cue points at, named for a person: a signal ("réclamation"), irony, or a complaint motive
    ("retard")."""
    if note in SIGNAL_NAMES:
        return signal_name(note, lang)
    if note in IRONY_NOTES:
        return _pick(IRONY_NOTES[note], lang)
    return motive_name(note, lang)


def cue_kind_name(kind: str, lang: str | None = None) -> str:
    return _pick(CUE_KINDS[kind], lang)


def behaviour_name(name: str, lang: str | None = None) -> str:
    """An agent behaviour or a moment to improve, named for a person."""
    return _pick(BEHAVIOUR_NAMES[name], lang) if name in BEHAVIOUR_NAMES else name


def channel_name(channel: str, lang: str | None = None) -> str:
    """A conversation's channel (chat, email, call, social), named for a person."""
    return _pick(CHANNEL_NAMES[channel], lang) if channel in CHANNEL_NAMES else channel


def motive_name(label: str, lang: str | None = None) -> str:
    """A complaint motive, named for a person."""
    return _pick(MOTIVE_NAMES[label], lang) if label in MOTIVE_NAMES else label
