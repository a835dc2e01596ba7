// Lexer of the plan language (.ap). Rule order matters where two rules match
// the same length: keywords before ID, UUID before ID, ID before QUEUE (so
// `ab.cd` stays a name; queue positions accept an ID and re-read its text).
lexer grammar ApcLexer;

HOST : 'host';
GUEST : 'guest';
TEMPLATE : 'template';
APART : 'apart';
INCLUDE : 'include';
POLICY : 'policy';
INTERFACE : 'interface';
CRYCB : 'crycb';
FORMAT : 'format';
ADAPTER : 'adapter';
ADAPTERS : 'adapters';
DOMAINS : 'domains';
CONTROL : 'control';
RESERVE : 'reserve';
OFFLINE : 'offline';
ANY : 'any';
IN : 'in';
MODE : 'mode';
TYPE : 'type';
UUID : 'uuid';
START : 'start';
TAGS : 'tags';
MIN : 'min';
MAX : 'max';
FOR : 'for';
TAG : 'tag';
GUESTS : 'guests';
PER : 'per';
HEADROOM : 'headroom';
DENY : 'deny';
ALLOW : 'allow';
FOREIGN : 'foreign';
PLACEMENT : 'placement';

// 8-4-4-4-12 hex; may start with a digit, so it must win over numbers.
UUID_LIT : H H H H H H H H '-' H H H H '-' H H H H '-' H H H H '-' H H H H H H H H H H H H;

ID : [A-Za-z_] [A-Za-z0-9_.\-]*;

// Queue literals are hex on both sides, as sysfs prints them: 05.0004, 05.*
QUEUE : H+ '.' (H+ | '*');
WILD_QUEUE : '*' '.' (H+ | '*');

HEX_NUMBER : '0' [xX] H+;
DECIMAL : [0-9]+;
// A word that starts with a digit but is no number (5a, 0x, 0x5g): one token,
// so the error names the whole word.
BAD_NUMBER : [0-9] [0-9A-Za-z_]*;

STRING : '"' ('\\' ~[\r\n] | ~[\\"\r\n])* '"';
UNTERMINATED_STRING : '"' ('\\' ~[\r\n] | ~[\\"\r\n])*;

LBRACE : '{';
RBRACE : '}';
LBRACK : '[';
RBRACK : ']';
SEMI : ';';
COMMA : ',';
COLON : ':';
DOTDOT : '..';
PERCENT : '%';
MINUS : '-';

BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN);
// Cannot contain '*/', so it only wins when the comment really never ends.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF -> channel(HIDDEN);
LINE_COMMENT : ('#' | '//') ~[\r\n]* -> channel(HIDDEN);
WS : [ \t\r\n\f]+ -> skip;

// Anything else is one bad character; the front end reports it (E004).
ERROR_CHAR : .;

fragment H : [0-9a-fA-F];
