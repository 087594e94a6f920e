package io.durableflows.api.capabilities;

import io.durableflows.api.agentcontext.AgentNode;
import io.durableflows.api.blocks.PromptBlock;
import io.durableflows.api.blocks.PromptBlockService;
import io.durableflows.api.skills.Skill;
import io.durableflows.api.skills.SkillService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Text search for the retrieve capability, over what the agent names: its skills (body, description, support files)
 * and its static prompt and context blocks. A document scores the occurrences of the query's words (a name or
 * description hit counts three), and answers with a snippet around its first hit. Memory and conversations join the
 * search when they are stored (issue 6, part 5).
 */
@Component
class Retrieval {
  private static final int SNIPPET = 240;
  private final SkillService skills;
  private final PromptBlockService blocks;

  Retrieval(SkillService skills, PromptBlockService blocks) {
    this.skills = skills;
    this.blocks = blocks;
  }

  private record Doc(String kind, String name, String file, String title, String text) {}

  List<Map<String, Object>> search(String orgId, AgentNode agent, String query, int limit) {
    Set<String> terms = new LinkedHashSet<>();
    for (String t : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (t.length() >= 2) terms.add(t);
    }
    List<Doc> docs = new ArrayList<>();
    for (String name : agent.skills()) {
      skills.find(orgId, name).ifPresent((Skill s) -> {
        docs.add(new Doc("skill", s.name(), null, s.name() + " " + nullToEmpty(s.description()), s.body()));
        s.files().forEach((file, text) -> docs.add(new Doc("skill_file", s.name(), file, file, text)));
      });
    }
    Set<String> blockNames = new LinkedHashSet<>(agent.promptBlocks());
    blockNames.addAll(agent.contextBlocks());
    for (String name : blockNames) {
      blocks.find(orgId, name).filter(b -> !b.dynamic()).ifPresent((PromptBlock b) ->
          docs.add(new Doc("prompt_block", b.name(), null, b.name() + " " + nullToEmpty(b.description()), b.body())));
    }
    record Hit(Doc doc, int score, int first) {}
    List<Hit> hits = new ArrayList<>();
    for (Doc doc : docs) {
      String text = doc.text().toLowerCase(Locale.ROOT);
      String title = doc.title().toLowerCase(Locale.ROOT);
      int score = 0;
      int first = -1;
      for (String term : terms) {
        score += 3 * count(title, term);
        for (int i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + term.length())) {
          score++;
          if (first < 0 || i < first) first = i;
        }
      }
      if (score > 0) hits.add(new Hit(doc, score, first));
    }
    hits.sort(Comparator.comparingInt(Hit::score).reversed().thenComparing(h -> h.doc().name()));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Hit h : hits.subList(0, Math.min(limit, hits.size()))) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("kind", h.doc().kind());
      item.put("name", h.doc().name());
      if (h.doc().file() != null) item.put("file", h.doc().file());
      item.put("score", h.score());
      item.put("snippet", snippet(h.doc().text(), h.first()));
      out.add(item);
    }
    return out;
  }

  private static int count(String text, String term) {
    int n = 0;
    for (int i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + term.length())) n++;
    return n;
  }

  private static String snippet(String text, int at) {
    int start = Math.max(0, at < 0 ? 0 : at - SNIPPET / 3);
    int end = Math.min(text.length(), start + SNIPPET);
    String s = text.substring(start, end).replaceAll("\\s+", " ").strip();
    return (start > 0 ? "…" : "") + s + (end < text.length() ? "…" : "");
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
