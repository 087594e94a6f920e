package io.durableflows.activities.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.completions.CompletionOperations;
import io.durableflows.workflows.completions.CompletionOptions;
import io.durableflows.workflows.completions.CompletionPrompts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline model's answers to completion instructions ({@link CompletionPrompts}), computed from the item's
 * words alone: deterministic, instant and shaped as each operation asks, so completions and batches work (and
 * benchmark) with no provider. Label scores categories by shared words; extract reads "name: value" pairs and
 * recognisable values (e-mails, dates, URLs, enum members); summarize keeps the leading sentences; enrich knows
 * a few kinds of field (counts, sentiment, keywords, case, titles); recommend ranks candidates by shared words;
 * autocomplete finishes the last word from the candidates or a small vocabulary.
 */
final class OfflineCompletions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  /** The word being typed at the end of an autocomplete prefix. */
  private static final Pattern LAST_WORD = Pattern.compile("[\\p{L}\\p{N}']+$");
  private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "but", "of", "to", "in", "on",
      "at", "for", "with", "by", "from", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that",
      "these", "those", "i", "you", "he", "she", "we", "they", "my", "your", "our", "their", "me", "us", "them",
      "as", "so", "if", "not", "no", "do", "does", "did", "have", "has", "had", "can", "could", "will", "would",
      "should", "may", "might", "am", "about", "into", "than", "then", "there", "here", "what", "which", "who",
      "how", "when", "where", "why", "all", "any", "some", "just", "very", "too", "also", "up", "out", "please");
  private static final Set<String> FALLBACK_CATEGORIES = Set.of("other", "others", "general", "misc",
      "miscellaneous", "unknown", "none", "neutral");
  private static final Set<String> POSITIVE = Set.of("good", "great", "excellent", "love", "loved", "like", "liked",
      "happy", "fast", "amazing", "awesome", "perfect", "best", "nice", "thanks", "thank", "helpful", "wonderful",
      "recommend", "pleased", "satisfied", "fantastic", "easy", "works");
  private static final Set<String> NEGATIVE = Set.of("bad", "poor", "terrible", "awful", "hate", "hated", "slow",
      "broken", "worst", "angry", "refund", "disappointed", "disappointing", "problem", "issue", "error", "fail",
      "failed", "fails", "crash", "crashed", "late", "never", "useless", "wrong", "unhappy", "cancel");
  /** Words autocomplete finishes a partial last word with, most common first. */
  private static final List<String> VOCABULARY = List.of("the", "that", "this", "there", "they", "then", "than",
      "them", "these", "think", "thanks", "about", "after", "again", "account", "access", "address", "always",
      "and", "answer", "any", "are", "available", "back", "because", "before", "best", "better", "between",
      "billing", "book", "booking", "can", "cancel", "card", "change", "charge", "check", "contact", "could",
      "customer", "data", "day", "delete", "delivery", "did", "does", "download", "each", "email", "error",
      "every", "export", "find", "first", "for", "from", "get", "give", "good", "great", "have", "help", "here",
      "how", "import", "information", "install", "into", "invoice", "issue", "just", "know", "last", "like",
      "login", "make", "many", "more", "most", "need", "never", "new", "next", "not", "now", "number", "only",
      "order", "other", "over", "password", "payment", "people", "plan", "please", "price", "pricing", "problem",
      "product", "question", "really", "receive", "refund", "register", "reset", "resolve", "restart", "return",
      "right", "same", "search", "send", "service", "setting", "settings", "shipping", "should", "since", "some",
      "start", "still", "subscription", "support", "sure", "take", "team", "time", "today", "tomorrow", "update",
      "upgrade", "use", "user", "very", "want", "was", "way", "week", "what", "when", "where", "which", "while",
      "who", "why", "will", "with", "without", "work", "working", "would", "year", "yesterday", "you", "your");
  private static final List<String> NEXT_WORDS = List.of("the", "and", "to", "a", "for", "with", "my", "your");
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
  private static final Pattern URL = Pattern.compile("https?://[^\\s,;]+[^\\s,;.]");
  private static final Pattern DATE = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b");
  private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d ().-]{6,}\\d");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
  private static final int SUMMARY_SENTENCE_WORDS = 20;

  private OfflineCompletions() {}

  /** The answer when {@code system} is a completion instruction, else empty. */
  static Optional<String> answer(String system, String user) {
    String operation = CompletionPrompts.operationOf(system);
    if (operation == null) return Optional.empty();
    Map<String, Object> options = CompletionPrompts.optionsOf(system);
    String item = user == null ? "" : user;
    return Optional.of(switch (operation) {
      case CompletionOperations.LABEL -> write(label(options, item));
      case CompletionOperations.EXTRACT -> write(extract(options, item));
      case CompletionOperations.SUMMARIZE -> summary(plain(item),
          CompletionOptions.intOption(options, CompletionOptions.MAX_WORDS, CompletionOptions.DEFAULT_MAX_WORDS));
      case CompletionOperations.ENRICH -> write(enrich(options, item));
      case CompletionOperations.RECOMMEND -> write(recommend(options, plain(item)));
      case CompletionOperations.AUTOCOMPLETE -> write(autocomplete(options, item));
      default -> "";
    });
  }

  // ------------------------------------------------------------------------------------------------ label

  @SuppressWarnings("unchecked")
  static Map<String, Object> label(Map<String, Object> options, String item) {
    List<String> categories = options.get(CompletionOptions.CATEGORIES) instanceof List<?> l
        ? (List<String>) l : List.of();
    List<String> stems = stems(plain(item));
    int[] scores = new int[categories.size()];
    for (int i = 0; i < categories.size(); i++) scores[i] = overlap(stems, categories.get(i));
    Map<String, Object> out = new LinkedHashMap<>();
    if (Boolean.TRUE.equals(options.get(CompletionOptions.MULTI))) {
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < categories.size(); i++) if (scores[i] > 0) labels.add(categories.get(i));
      out.put("labels", labels);
      return out;
    }
    int best = -1;
    for (int i = 0; i < categories.size(); i++) if (scores[i] > 0 && (best < 0 || scores[i] > scores[best])) best = i;
    if (best < 0) {
      // Nothing shared: the catch-all category when there is one, else the first.
      best = 0;
      for (int i = 0; i < categories.size(); i++) {
        if (FALLBACK_CATEGORIES.contains(categories.get(i).strip().toLowerCase(Locale.ROOT))) {
          best = i;
          break;
        }
      }
    }
    out.put("label", categories.isEmpty() ? "" : categories.get(best));
    return out;
  }

  /** How many of the item's word stems the phrase's words share. */
  private static int overlap(List<String> itemStems, String phrase) {
    Set<String> phraseStems = new LinkedHashSet<>(stems(phrase));
    if (phraseStems.isEmpty()) phraseStems.addAll(allStems(phrase));
    int score = 0;
    for (String s : itemStems) {
      for (String p : phraseStems) {
        if (s.equals(p) || (Math.min(s.length(), p.length()) >= 4 && (s.startsWith(p) || p.startsWith(s)))) {
          score++;
          break;
        }
      }
    }
    return score;
  }

  // ------------------------------------------------------------------------------------------------ extract

  @SuppressWarnings("unchecked")
  static Map<String, Object> extract(Map<String, Object> options, String item) {
    Map<String, Object> schema = options.get(CompletionOptions.SCHEMA) instanceof Map<?, ?> m
        ? (Map<String, Object>) m : Map.of();
    Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p
        ? (Map<String, Object>) p : Map.of();
    Map<String, Object> record = object(item);
    String text = plain(item);
    Map<String, Object> out = new LinkedHashMap<>();
    for (var property : properties.entrySet()) {
      Map<String, Object> spec = property.getValue() instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
      Object value = fromRecord(record, property.getKey());
      if (value == null) value = fromText(text, property.getKey(), spec);
      if (value != null) out.put(property.getKey(), value);
    }
    return out;
  }

  private static Object fromRecord(Map<String, Object> record, String name) {
    if (record == null) return null;
    for (var e : record.entrySet()) {
      if (squash(e.getKey()).equals(squash(name))) return e.getValue();
    }
    return null;
  }

  private static Object fromText(String text, String name, Map<String, Object> spec) {
    String type = type(spec);
    if (spec.get("enum") instanceof List<?> values) {
      for (Object v : values) {
        if (v instanceof String s && Pattern.compile("(?i)\\b" + Pattern.quote(s) + "\\b").matcher(text).find()) {
          return s;
        }
      }
    }
    String label = "(?i)\\b" + String.join("[\\s_-]*", words(name).stream().map(Pattern::quote).toList())
        + "s?\\b\\s*(?::|=|\\bis\\b|\\bare\\b|\\bwas\\b)\\s*";
    Matcher m = Pattern.compile(label + "([^\\n;]+)").matcher(text);
    String raw = m.find() ? m.group(1).strip() : null;
    String lower = name.toLowerCase(Locale.ROOT);
    String format = spec.get("format") instanceof String f ? f : "";
    if (raw == null) {
      // No "name: value": a value recognisable by its look, when the property's name or format asks for one.
      if (lower.contains("email") || format.equals("email")) raw = first(EMAIL, text);
      else if (lower.contains("url") || lower.contains("website") || format.equals("uri")) raw = first(URL, text);
      else if (lower.contains("date") || format.equals("date")) raw = first(DATE, text);
      else if (lower.contains("phone")) raw = first(PHONE, text);
      if (raw == null) return null;
    }
    return switch (type) {
      case "integer" -> {
        String n = first(NUMBER, raw);
        yield n == null ? null : (Object) (long) Double.parseDouble(n);
      }
      case "number" -> {
        String n = first(NUMBER, raw);
        yield n == null ? null : (Object) Double.parseDouble(n);
      }
      case "boolean" -> {
        String b = raw.toLowerCase(Locale.ROOT);
        yield b.startsWith("yes") || b.startsWith("true") ? Boolean.TRUE
            : b.startsWith("no") || b.startsWith("false") ? Boolean.FALSE : null;
      }
      case "array" -> Arrays.stream(trimSentence(raw).split("\\s*,\\s*|\\s+and\\s+")).map(String::strip)
          .filter(s -> !s.isEmpty()).toList();
      default -> {
        String s = raw;
        int comma = s.indexOf(", ");
        if (comma > 0) s = s.substring(0, comma);
        yield trimSentence(s);
      }
    };
  }

  private static String type(Map<String, Object> spec) {
    Object t = spec.get("type");
    if (t instanceof String s) return s;
    if (t instanceof List<?> list) {
      for (Object o : list) if (o instanceof String s && !s.equals("null")) return s;
    }
    return "string";
  }

  private static String trimSentence(String s) {
    String t = s.strip();
    int stop = t.indexOf(". ");
    if (stop > 0) t = t.substring(0, stop);
    return t.replaceAll("[.!?]+$", "").strip();
  }

  // ------------------------------------------------------------------------------------------------ summarize

  /** The leading sentences that fit in {@code maxWords}; a first sentence too long is cut. */
  static String summary(String text, int maxWords) {
    String[] sentences = text.strip().split("(?<=[.!?])\\s+");
    StringBuilder out = new StringBuilder();
    int used = 0;
    for (String sentence : sentences) {
      int n = wordCount(sentence);
      if (n == 0) continue;
      if (used + n > maxWords) {
        if (used == 0) return firstWords(sentence, maxWords) + "…";
        break;
      }
      if (!out.isEmpty()) out.append(' ');
      out.append(sentence.strip());
      used += n;
    }
    return out.isEmpty() ? "(empty)" : out.toString();
  }

  // ------------------------------------------------------------------------------------------------ enrich

  @SuppressWarnings("unchecked")
  static Map<String, Object> enrich(Map<String, Object> options, String item) {
    Map<String, Object> fields = options.get(CompletionOptions.FIELDS) instanceof Map<?, ?> f
        ? (Map<String, Object>) f : Map.of();
    String text = plain(item);
    Map<String, Object> out = new LinkedHashMap<>();
    for (var field : fields.entrySet()) {
      out.put(field.getKey(), computed((field.getKey() + " " + field.getValue()).toLowerCase(Locale.ROOT), text));
    }
    return out;
  }

  /** What a field asks for, recognised by its name and instruction; else the item's opening words. */
  private static Object computed(String ask, String text) {
    if (ask.contains("sentiment") || ask.contains("tone")) return sentiment(text);
    if (ask.contains("word") && (ask.contains("count") || ask.contains("number") || ask.contains("how many"))) {
      return wordCount(text);
    }
    if (ask.contains("character") || ask.contains("length")) return text.strip().length();
    if (ask.contains("upper")) return text.strip().toUpperCase(Locale.ROOT);
    if (ask.contains("lower")) return text.strip().toLowerCase(Locale.ROOT);
    if (ask.contains("keyword") || ask.contains("tag") || ask.contains("topic")) return keywords(text, 3);
    if (ask.contains("title") || ask.contains("headline")) return OfflineTasks.title("user: " + text);
    return summary(text, SUMMARY_SENTENCE_WORDS);
  }

  private static String sentiment(String text) {
    int score = 0;
    for (String w : allWords(text)) {
      if (POSITIVE.contains(w)) score++;
      if (NEGATIVE.contains(w)) score--;
    }
    return score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
  }

  // ------------------------------------------------------------------------------------------------ recommend

  @SuppressWarnings("unchecked")
  static List<String> recommend(Map<String, Object> options, String text) {
    int count = CompletionOptions.intOption(options, CompletionOptions.COUNT, CompletionOptions.DEFAULT_RECOMMENDATIONS);
    List<String> candidates = options.get(CompletionOptions.CANDIDATES) instanceof List<?> c
        ? (List<String>) c : List.of();
    if (!candidates.isEmpty()) {
      List<String> stems = stems(text);
      // Most shared words first; ties keep the candidates' order (the sort is stable).
      return candidates.stream().sorted(Comparator.comparingInt((String c) -> -overlap(stems, c))).limit(count)
          .toList();
    }
    List<String> out = new ArrayList<>();
    for (String keyword : keywords(text, count)) out.add("More about " + keyword);
    List<String> generic = List.of("Similar items others chose", "A popular alternative", "A beginner's guide",
        "An expert's pick", "Something new to try");
    for (int i = 0; out.size() < count; i++) {
      out.add(i < generic.size() ? generic.get(i) : "Suggestion " + (i + 1));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------ autocomplete

  @SuppressWarnings("unchecked")
  static List<String> autocomplete(Map<String, Object> options, String prefix) {
    int count = CompletionOptions.intOption(options, CompletionOptions.COUNT, CompletionOptions.DEFAULT_SUGGESTIONS);
    List<String> candidates = options.get(CompletionOptions.CANDIDATES) instanceof List<?> c
        ? (List<String>) c : List.of();
    Matcher last = LAST_WORD.matcher(prefix);
    String partial = last.find() ? last.group() : "";
    String head = prefix.substring(0, prefix.length() - partial.length());
    Set<String> out = new LinkedHashSet<>();
    for (String candidate : candidates) {
      if (candidate.regionMatches(true, 0, prefix, 0, prefix.length()) && candidate.length() > prefix.length()) {
        out.add(prefix + candidate.substring(prefix.length()));
      }
    }
    if (!partial.isEmpty()) {
      for (String candidate : candidates) {
        if (candidate.regionMatches(true, 0, partial, 0, partial.length())
            && candidate.length() > partial.length()) {
          out.add(head + partial + candidate.substring(partial.length()));
        }
      }
      String lower = partial.toLowerCase(Locale.ROOT);
      for (String word : VOCABULARY) {
        if (word.startsWith(lower) && word.length() > lower.length()) out.add(prefix + word.substring(lower.length()));
      }
    }
    String gap = prefix.isEmpty() || Character.isWhitespace(prefix.charAt(prefix.length() - 1)) ? "" : " ";
    for (String next : NEXT_WORDS) out.add(prefix + gap + next);
    return out.stream().limit(count).toList();
  }

  // ------------------------------------------------------------------------------------------------ words

  /** The item's text: a JSON object's string values as sentences (ids and numbers are not prose), else the item. */
  private static String plain(String item) {
    Map<String, Object> record = object(item);
    if (record == null) return item;
    List<String> parts = new ArrayList<>();
    for (Object v : record.values()) {
      if (v instanceof String s && !s.isBlank()) parts.add(s.strip().matches(".*[.!?]$") ? s.strip() : s.strip() + ".");
    }
    return String.join(" ", parts);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String item) {
    String t = item.strip();
    if (!t.startsWith("{")) return null;
    try {
      return JSON.readValue(t, Map.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static List<String> allWords(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) out.add(m.group());
    return out;
  }

  private static List<String> words(String name) {
    return allWords(name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' '));
  }

  private static List<String> stems(String text) {
    return allWords(text).stream().filter(w -> !STOP.contains(w)).map(OfflineCompletions::stem).toList();
  }

  private static List<String> allStems(String text) {
    return allWords(text).stream().map(OfflineCompletions::stem).toList();
  }

  /** A crude English stem: enough for "refunds", "refunded" and "refund" to meet. */
  private static String stem(String w) {
    for (String suffix : List.of("ing", "ed", "es", "s", "ly")) {
      if (w.length() > suffix.length() + 3 && w.endsWith(suffix)) return w.substring(0, w.length() - suffix.length());
    }
    return w;
  }

  /** Up to {@code n} content words, most frequent first, ties in order of appearance. */
  private static List<String> keywords(String text, int n) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String w : allWords(text)) {
      if (w.length() >= 3 && !STOP.contains(w) && !w.chars().allMatch(Character::isDigit)) counts.merge(w, 1, Integer::sum);
    }
    return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(n).map(Map.Entry::getKey).toList();
  }

  private static String squash(String s) {
    return s.replaceAll("[\\s_-]", "").toLowerCase(Locale.ROOT);
  }

  private static String first(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group() : null;
  }

  private static int wordCount(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  private static String firstWords(String s, int n) {
    String[] parts = s.strip().split("\\s+");
    return String.join(" ", Arrays.copyOf(parts, Math.min(n, parts.length)));
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
