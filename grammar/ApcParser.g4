// Parser of the plan language. Values that are words (modern, cca, auto,
// CEX5C) are plain identifiers checked during lowering, so a typo gets a
// "did you mean" instead of a bare syntax error. Unknown statements parse as
// unknownStmt so one typo does not derail the rest of the block.
parser grammar ApcParser;

// Contexts come from a per-parse arena (compiler/frontend/parse_arena.h).
options { tokenVocab = ApcLexer; contextSuperClass = ArenaContext; }
@parser::header { #include "compiler/frontend/parse_arena.h" }

plan : topItem* EOF;

topItem
  : hostDecl
  | guestDecl
  | templateDecl
  | apartDecl
  | includeDecl
  | policyDecl
  | unknownItem
  ;

hostDecl : HOST ident LBRACE hostStmt* RBRACE;

hostStmt
  : INTERFACE ident SEMI              # hostInterface
  | CRYCB FORMAT number SEMI          # hostCrycb
  | ADAPTER idList ident SEMI         # hostAdapter
  | DOMAINS idList SEMI               # hostDomains
  | CONTROL DOMAINS idList SEMI       # hostControl
  | RESERVE queueList SEMI            # hostReserve
  | OFFLINE queueList SEMI            # hostOffline
  | unknownHostStmt                   # hostUnknown
  ;

guestDecl : GUEST ident familyRange? (COLON ident)? (SEMI | LBRACE guestStmt* RBRACE);

familyRange : LBRACK number DOTDOT number RBRACK;

templateDecl : TEMPLATE ident LBRACE guestStmt* RBRACE;

guestStmt
  : ADAPTERS requirement SEMI         # guestAdapters
  | DOMAINS requirement SEMI          # guestDomains
  | CONTROL DOMAINS idList SEMI       # guestControl
  | UUID uuidValue SEMI               # guestUuid
  | START ident SEMI                  # guestStart
  | TAGS tag (COMMA tag)* SEMI        # guestTags
  | unknownGuestStmt                  # guestUnknown
  ;

requirement
  : idList                            # reqExact
  | ANY number filter*                # reqAny
  ;

filter
  : IN idList                         # filterIn
  | MODE ident                        # filterMode
  | TYPE ident (COMMA ident)*         # filterType
  ;

// Everything up to ';' - checked (8-4-4-4-12 hex, bare or quoted) in lowering.
uuidValue : (~(SEMI | LBRACE | RBRACE))+;

tag : ident | STRING;

apartDecl : APART ident (COMMA ident)* SEMI;

includeDecl : INCLUDE STRING SEMI;

policyDecl : POLICY LBRACE policyStmt* RBRACE;

policyStmt
  : MIN (ADAPTERS | DOMAINS) number (FOR TAG tag)? SEMI   # policyMin
  | MAX GUESTS PER ADAPTER number SEMI                    # policyMaxGuests
  | HEADROOM number PERCENT SEMI                          # policyHeadroom
  | (DENY | ALLOW) FOREIGN CONTROL SEMI                   # policyForeign
  | PLACEMENT ident SEMI                                  # policyPlacement
  | unknownPolicyStmt                                     # policyUnknown
  ;

idList : idItem (COMMA idItem)*;
// The bounds are inlined token sets rather than `number` sub-rules: ID lists
// hold most of a plan's numbers, and a sub-rule costs a context object each.
idItem : (DECIMAL | HEX_NUMBER | BAD_NUMBER) (DOTDOT (DECIMAL | HEX_NUMBER | BAD_NUMBER))?;
number : DECIMAL | HEX_NUMBER | BAD_NUMBER;

queueList : queueItem (COMMA queueItem)*;
queueItem : QUEUE | WILD_QUEUE | ID | DECIMAL | HEX_NUMBER;

// A statement that starts with a word that is no statement here (a typo, or
// a keyword of another block). The top-level keywords are left out so that a
// missing '}' still recovers at the next declaration.
unknownHostStmt
  : (ID | FORMAT | ADAPTERS | ANY | IN | MODE | TYPE | UUID | START | TAGS | MIN | MAX | FOR | TAG
    | GUESTS | PER | HEADROOM | DENY | ALLOW | FOREIGN | PLACEMENT) (~(SEMI | LBRACE | RBRACE))* SEMI;
unknownGuestStmt
  : (ID | INTERFACE | CRYCB | FORMAT | ADAPTER | RESERVE | OFFLINE | ANY | IN | MODE | TYPE | MIN | MAX
    | FOR | TAG | GUESTS | PER | HEADROOM | DENY | ALLOW | FOREIGN | PLACEMENT) (~(SEMI | LBRACE | RBRACE))* SEMI;
unknownPolicyStmt
  : (ID | INTERFACE | CRYCB | FORMAT | ADAPTER | ADAPTERS | DOMAINS | CONTROL | RESERVE | OFFLINE | ANY
    | IN | MODE | TYPE | UUID | START | TAGS | FOR | TAG | GUESTS | PER | FOREIGN) (~(SEMI | LBRACE | RBRACE))* SEMI;
unknownItem
  : (ID | INTERFACE | CRYCB | FORMAT | ADAPTER | ADAPTERS | DOMAINS | CONTROL | RESERVE | OFFLINE | ANY
    | IN | MODE | TYPE | UUID | START | TAGS | MIN | MAX | FOR | TAG | GUESTS | PER | HEADROOM | DENY
    | ALLOW | FOREIGN | PLACEMENT) (~(SEMI | LBRACE | RBRACE))* (SEMI | LBRACE (~RBRACE)* RBRACE);

// Names may be any word, keywords included (a guest may be called `start`).
ident
  : ID | UUID_LIT
  | HOST | GUEST | TEMPLATE | APART | INCLUDE | POLICY | INTERFACE | CRYCB | FORMAT
  | ADAPTER | ADAPTERS | DOMAINS | CONTROL | RESERVE | OFFLINE | ANY | IN | MODE | TYPE
  | UUID | START | TAGS | MIN | MAX | FOR | TAG | GUESTS | PER | HEADROOM | DENY | ALLOW
  | FOREIGN | PLACEMENT
  ;
