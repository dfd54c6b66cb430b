"""Hand-written transaction logs the unsupervised tests read (a module of its own: a test file
imports it by a name no other test folder uses, where ``from conftest import`` would find
whichever conftest pytest loaded first)."""

#: A hand-written log with one of each problem (the comment says which), read by several tests.
MESSY_LOG = """\
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom
536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom
536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom
536366,22633,HAND WARMER,6,12/1/2010 8:28,1.85,17850.0,United Kingdom
536367,84879,BIRD ORNAMENT,32,12/1/2010 8:34,1.69,,United Kingdom
536368,22960,JAM MAKING SET,NA,12/1/2010 8:34,4.25,13047,United Kingdom
536369,21756,BATH BUILDING BLOCK,three,12/1/2010 8:35,5.95,13047,United Kingdom
536370,22728,ALARM CLOCK,24,not a date,3.75,12583,France
536371,22727,ALARM CLOCK RED,24,12/1/2010 8:45,0,12583,France
C536379,D,Discount,-1,12/1/2010 9:41,27.5,17850,United Kingdom
536380,22961,JAM JAR,12,12/2/2010 10:00,1.45,12583,France
536381,22962,JAM JAR LID,12,12/3/2010 10:00,1.45,13047,United Kingdom,EXTRA
536382,22963,JAM JAR BIG,12,12/3/2010 11:00,,13047,United Kingdom
"""
# row 3 repeats row 2; row 5 has no customer; row 6 NA quantity; row 7 "three"; row 8 a bad date;
# row 9 a zero price; row 10 a cancellation (a return by 17850); row 12 has a field too many;
# row 13 no price. Usable: rows 1, 2, 4, 11 (purchases) and 10 (a return); customers 17850, 12583.
